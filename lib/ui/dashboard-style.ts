/**
 * The dashboard's style sheet, served as its own file (`dashboard.css`) so
 * the page's Content-Security-Policy can forbid inline style.
 */

/**
 * DASHBOARD_STYLE is the text of `dashboard.css`.
 *
 * @example
 * res.writeHead(200, { 'content-type': 'text/css; charset=utf-8' }).end(DASHBOARD_STYLE);
 */
export const DASHBOARD_STYLE = `body{font:13px system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{display:flex;gap:1.5em;align-items:center;padding:.6em 1em;background:#1d2330;color:#fff}
header h1{font-size:15px;margin:0}header .stat b{font-variant-numeric:tabular-nums}
#notice{background:#f5b700;color:#1d2330;padding:.2em .6em;border-radius:3px;font-weight:600}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:1em;padding:1em}
section{background:#fff;border:1px solid #dde1e8;border-radius:4px;padding:.5em .8em;min-width:0}
section h2{font-size:14px;margin:.2em 0 .4em;display:flex;gap:1em;align-items:baseline}
section h2 small{font-weight:400;color:#5b6475}
input{font:inherit;padding:.2em .4em;width:16em}
.wrap{max-height:420px;overflow:auto;margin-top:.4em}
table{border-collapse:collapse;width:100%;font:12px ui-monospace,monospace}
th{position:sticky;top:0;background:#eef0f4;text-align:left;cursor:pointer;user-select:none;white-space:nowrap}
th,td{padding:.15em .5em;border-bottom:1px solid #eef0f4}
th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}
tr.hl td{background:#fff3b0;transition:background 1.5s}
.down{color:#b42318;font-weight:600}.up{color:#067647;font-weight:600}
.state{font-size:12px;color:#aab}.more{color:#5b6475;padding:.3em}
`;
