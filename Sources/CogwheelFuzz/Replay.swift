import Foundation

// Two builds of one set of harnesses:
// - `scripts/fuzz.sh` builds with `-sanitize=fuzzer -DFUZZING`: `main` hands over to libFuzzer's
//   driver, which calls the harness named by COGWHEEL_FUZZ_TARGET with every input it makes.
// - The ordinary build replays files: `cogwheel-fuzz TARGET FILE_OR_DIRECTORY...` runs each input
//   through the harness once, so the test suite keeps every seed and every failure found as a
//   regression test.

/// One input from libFuzzer. Exported under libFuzzer's name as well, because its archive's
/// `main` (linked in by `-sanitize=fuzzer`) refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTarget.selected.run(bytes)
    return 0
}

#if FUZZING
/// libFuzzer's entry for a program with its own `main` (SwiftPM names the executable's `main`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
enum Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
@main
enum Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: cogwheel-fuzz \(names) FILE_OR_DIRECTORY...\n".utf8))
            exit(64)
        }
        var inputs = 0
        for path in arguments.dropFirst() {
            let url = URL(fileURLWithPath: path)
            var isDirectory: ObjCBool = false
            let files = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)) ?? []).sorted { $0.path < $1.path }
                : [url]
            for file in files {
                guard let contents = FileManager.default.contents(atPath: file.path) else {
                    FileHandle.standardError.write(Data("cogwheel-fuzz: cannot read \(file.path)\n".utf8))
                    exit(66)
                }
                target.run(Array(contents))
                inputs += 1
            }
        }
        print("cogwheel-fuzz \(target.rawValue): \(inputs) inputs, no failure")
    }
}
#endif
