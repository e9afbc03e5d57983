/// The operating system the broker runs on, as action files name it in a per-platform `run`.
public enum HostPlatform: String, Sendable, CaseIterable {
    case linux
    case macos

    /// The platform this binary was built for.
    public static var current: HostPlatform {
        #if os(macOS)
        .macos
        #else
        .linux
        #endif
    }
}
