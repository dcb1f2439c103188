/// The payload of a `COG_REQUEST_JOB`: which run of which job is due.
///
/// ```swift
/// JobRunDocument(job: "close", state: "7", scheduledFor: 1_798_761_540, missed: 0).encoded()
/// // {"job":"close","missed":0,"scheduled_for":1798761540,"state":"7"}
/// ```
public struct JobRunDocument: WireDocument {
    public var job: String
    /// The state the run was scheduled with (empty for a run on the job's schedule).
    public var state: String
    /// When the run was due, in unix seconds.
    public var scheduledFor: Double
    /// Runs missed during downtime and folded into this one.
    public var missed: Int

    public init(job: String, state: String, scheduledFor: Double, missed: Int) {
        self.job = job
        self.state = state
        self.scheduledFor = scheduledFor
        self.missed = missed
    }

    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        writer.object { object in
            object.field("job", job)
            object.field("missed", missed)
            object.field("scheduled_for", scheduledFor)
            object.field("state", state)
        }
        return writer.bytes
    }

    public init(scanning bytes: [UInt8]) throws(WireError) {
        var run = JobRunDocument(job: "", state: "", scheduledFor: 0, missed: 0)
        try JSONScanner.document("job run", bytes) { scanner in
            try scanner.readObject { scanner, key in
                switch key {
                case "job": run.job = try scanner.requireString("job")
                case "state": run.state = try scanner.requireString("state")
                case "scheduled_for": run.scheduledFor = try scanner.requireDouble("scheduled_for")
                case "missed": run.missed = Int(try scanner.requireInteger("missed"))
                default: try scanner.skipValue()
                }
            }
        }
        self = run
    }
}
