// Preloaded with --require: makes this process report FAKE_PLATFORM / FAKE_ARCH,
// before any module reads them, to see what netlink-rx says on such a system.
if (process.env.FAKE_PLATFORM) Object.defineProperty(process, 'platform', { value: process.env.FAKE_PLATFORM });
if (process.env.FAKE_ARCH) Object.defineProperty(process, 'arch', { value: process.env.FAKE_ARCH });
