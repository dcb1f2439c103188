import CogwheelTestSupport
import Foundation
import Testing

/// The fuzz harnesses' committed inputs (seeds, and every failure a fuzzing run found) replayed
/// through the ordinary build of `cogwheel-fuzz`, so a fixed finding stays fixed. The fuzzing
/// itself is `scripts/fuzz.sh` (see FUZZING.md).
@Suite struct FuzzInputTests {
    static let harnesses = ["routing", "gateway", "manifest", "cron", "settings", "sql", "backup"]

    @Test("every committed fuzz input passes its harness's invariant", arguments: harnesses)
    func committedInputsPass(harness: String) throws {
        let fuzz = BuiltCogs.packageRoot.appendingPathComponent("Tests/Fuzz")
        let folders = ["seeds", "regressions"].map { fuzz.appendingPathComponent("\($0)/\(harness)") }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folders[0].path)
        #expect(!seeds.isEmpty, "the \(harness) harness has no seeds")
        let run = try CogwheelProcess.run([harness] + folders.map(\.path), executable: "cogwheel-fuzz", input: "",
                                          environment: ["COGWHEEL_FUZZ_TARGET": ""])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("cogwheel-fuzz \(harness): "), "\(run.output)")
    }

    @Test("the replayer names the harnesses when asked for one it does not have")
    func unknownHarness() throws {
        let run = try CogwheelProcess.run(["nosuch", "/dev/null"], executable: "cogwheel-fuzz", input: "",
                                          environment: ["COGWHEEL_FUZZ_TARGET": ""])
        #expect(run.status == 64)
        #expect(run.output.contains("routing|gateway|manifest|cron|settings|sql|backup"), "\(run.output)")
    }
}
