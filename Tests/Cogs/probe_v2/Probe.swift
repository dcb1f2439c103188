import CogKit
import ProbeCogCore

enum Build: ProbeBuild {
    static let version = "2.0.0"
    static let schemaVersion = 1
    static let failsInit = false
    static let hearsMembers = true
    static let readsContent = false
    static let pingsEveryone = true
}

@_cdecl("cog_entry")
public func cogEntry() -> UnsafeRawPointer { exportCog(ProbeCog<Build>.self) }
