@testable import CogHost
import Foundation

/// A cog's manifest as the loader reads it: decoded, validated against Discord's rules, and
/// its jobs' schedules worked out. A manifest the validator accepts must also give routes.
enum ManifestHarness {
    static func run(_ bytes: [UInt8]) {
        guard let manifest = try? CogManifest.decode(bytes) else { return }
        guard (try? ManifestValidator.validate(manifest)) != nil else { return }
        for command in manifest.commands {
            FuzzFailure.check(!CommandRoutes.leafRoutes(of: command).isEmpty, "a valid command '\(command.name)' has no route")
        }
        _ = try? manifest.jobDefinitions(now: Date(timeIntervalSince1970: 1_790_000_000))
    }
}
