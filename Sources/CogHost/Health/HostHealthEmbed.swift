import Foundation

/// The admin `/health` command's embed: green when ready, orange when a restart is recommended
/// or something is degraded, red when not ready.
enum HostHealthEmbed {
    static func make(_ health: HostHealth) -> HostMessage.Embed {
        var fields: [HostMessage.Embed.Field] = []
        let connection = health.connection
        fields.append(.init(name: "Discord", value: connection.map { connection in
            "\(connection.summary), " + (connection.latencyMilliseconds.map { String(format: "%.0f ms heartbeat", $0) } ?? "no heartbeat yet")
                + ", \(connection.shards.count) shard(s)"
        } ?? "not connected", inline: true))
        fields.append(.init(name: "Database", value: (health.databaseWritable ? "writable" : "❌ not writable")
            + ", \(megabytes(health.databaseBytes)) + \(megabytes(health.walBytes)) WAL", inline: true))
        fields.append(.init(name: "Last backup", value: health.lastBackupAgeSeconds.map { "\(duration($0)) ago" } ?? "none yet", inline: true))
        fields.append(.init(name: "Uptime", value: duration(health.uptimeSeconds), inline: true))
        fields.append(.init(name: "Memory", value: "\(megabytes(Int64(health.residentBytes))) resident, \(health.imagesMapped) cog images", inline: true))
        fields.append(.init(name: "Cache", value: "\(health.cache.guilds) guilds, \(health.cache.members) members, \(health.cache.messages) messages, ~\(megabytes(Int64(health.cache.estimatedBytes)))", inline: true))
        fields.append(.init(name: "Restart recommended", value: health.restartRecommended ? "⚠️ yes (reload budget spent)" : "no", inline: true))
        let cogs = health.cogs.map { cog in
            let state = cog.generation.map { "v\(cog.version ?? "?") gen \($0)" } ?? (cog.quarantine != nil ? "quarantined" : "not loaded")
            return "**\(cog.name)** \(state)"
        }
        fields.append(.init(name: "Cogs", value: String((cogs.isEmpty ? "none" : cogs.joined(separator: "\n")).prefix(1024)), inline: false))
        if !health.isReady {
            fields.append(.init(name: "Not ready", value: String(health.notReadyBecause.joined(separator: "\n").prefix(1024)), inline: false))
        }
        let color = !health.isReady ? 0xED4245 : health.restartRecommended ? 0xE67E22 : 0x57F287
        return HostMessage.Embed(title: health.isReady ? "Healthy" : "Not ready", description: nil, color: color, fields: fields)
    }

    private static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }

    private static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<120: String(format: "%.0f s", seconds)
        case ..<7200: String(format: "%.0f min", seconds / 60)
        case ..<172_800: String(format: "%.1f h", seconds / 3600)
        default: String(format: "%.1f days", seconds / 86_400)
        }
    }
}
