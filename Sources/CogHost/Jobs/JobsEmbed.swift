import Foundation

/// The `/jobs` answer: every scheduled job of the loaded cogs with its schedule, its next run
/// and how its last run went.
enum JobsEmbed {
    static func make(_ listing: Result<[JobScheduler.Listing], any Error>) -> HostMessage.Embed {
        let jobs: [JobScheduler.Listing]
        switch listing {
        case .success(let found): jobs = found
        case .failure(let error):
            return HostMessage.Embed(title: "Scheduled jobs", description: "❌ could not read them: \(error)", color: 0xED4245, fields: [])
        }
        let lines = jobs.prefix(40).map { job in
            let name = job.state.isEmpty ? "\(job.cog) · \(job.job)" : "\(job.cog) · \(job.job) [\(job.state.prefix(40))]"
            let next = job.nextRun.map { "next <t:\(Int($0.timeIntervalSince1970)):f> (<t:\(Int($0.timeIntervalSince1970)):R>)" }
                ?? "no next run"
            let last = job.lastRun.map { " · last <t:\(Int($0.timeIntervalSince1970)):R>: \(job.lastOutcome ?? "?")" } ?? ""
            return "**\(name)** — \(job.schedule)\n\(next)\(last)"
        }
        var text = lines.isEmpty ? "No cog has scheduled jobs." : lines.joined(separator: "\n")
        if jobs.count > 40 { text += "\n… and \(jobs.count - 40) more" }
        return HostMessage.Embed(title: "Scheduled jobs", description: String(text.prefix(4000)), color: 0x5865F2, fields: [])
    }
}
