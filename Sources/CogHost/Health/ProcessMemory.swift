import Foundation

/// The host process's memory use, as the kernel reports it.
public enum ProcessMemory {
    /// Resident set size in bytes, from `/proc/self/statm`; 0 where that is unavailable.
    public static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
