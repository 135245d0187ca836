import Testing

/// Every test that opens a tty or a umockdev testbed, run one at a time.
///
/// While a umockdev testbed exists, the preload library tracks descriptors by number
/// process-wide and routes ioctls on the ones it believes emulated to the testbed; a pty test
/// running at the same moment can have its `TIOCEXCL` or `TCSETS2` answered by the testbed
/// (seen here: ENOTTY on a plain /dev/pts/N). Serialising these suites keeps them apart.
@Suite(.serialized)
enum TTYTests {}
