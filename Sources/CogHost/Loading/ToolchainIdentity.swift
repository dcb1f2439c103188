import CCogABI

/// Identifies the toolchain the host was built with, in the form Swift cogs report it.
public enum ToolchainIdentity {
    /// `"swift:" + cog_toolchain_id()` as compiled into the host.
    public static let host = COG_COMPILER_SWIFT_PREFIX + String(cString: cog_toolchain_id())
}
