import CogKit
import Foundation

/// `/act action:NAME`: one Discord action through the host, so tests can take every one of
/// them through a real build against the simulator. Its answer is `ok NAME …` or `refused: why`.
/// What one action makes (a message, a role, a thread, a follow-up) is kept for the next.
extension ProbeCog {
    static var lastSent: StorageKey<[UInt64]> { StorageKey("act:sent", default: []) }
    static var lastRole: StorageKey<UInt64> { StorageKey("act:role", default: 0) }
    static var lastThread: StorageKey<UInt64> { StorageKey("act:thread", default: 0) }
    static var lastFollowUp: StorageKey<[UInt64]> { StorageKey("act:follow_up", default: []) }
    /// The previous `/act` interaction, answered by now: follow-ups need an answered interaction.
    static var previousInteraction: StorageKey<UInt64> { StorageKey("act:interaction", default: 0) }

    static func act(_ context: CommandContext) async throws -> Reply {
        let action: String = try context.option("action")
        let guild = try context.requireGuild()
        guard let channel = context.channelID else { throw CommandError("no channel") }
        let discord = context.discord
        let storage = context.storage
        let member = context.optionIfPresent("member", as: User.self)?.id
        let role = context.optionIfPresent("role", as: Role.self)?.id
        let message = context.optionIfPresent("message", as: String.self).flatMap { Snowflake($0) }
        func need<Value>(_ value: Value?, _ what: String) throws -> Value {
            guard let value else { throw CommandError("\(action) needs \(what)") }
            return value
        }
        func sent() throws -> SentMessage {
            let ids = try storage.get(lastSent, in: .global)
            guard ids.count == 2 else { throw CommandError("send a message first") }
            return SentMessage(channelID: Snowflake(ids[0]), id: Snowflake(ids[1]))
        }
        func keep(_ posted: SentMessage) throws {
            try storage.set(lastSent, to: [posted.channelID.rawValue, posted.id.rawValue], in: .global)
        }
        var detail = ""
        let previous = try storage.get(previousInteraction, in: .global)
        try storage.set(previousInteraction, to: context.interactionID?.rawValue ?? 0, in: .global)
        do {
            switch action {
            case "send": try keep(try await discord.send(to: channel, content: "probe says hi @everyone <@&\(role?.rawValue ?? 1)>"))
            case "reply": try keep(try await discord.reply(to: channel, try need(message, "message"), content: "a reply"))
            case "edit": try await discord.edit(try sent(), content: "edited")
            case "react": try await discord.react(with: "🧪", to: try sent())
            case "delete_own": try await discord.delete(try sent())
            case "fetch": detail = try await discord.message(try need(message, "message"), in: channel).content
            case "recent": detail = String(try await discord.recentMessages(in: channel, limit: 10).count)
            case "purge":
                let recent = try await discord.recentMessages(in: channel, limit: 2)
                try await discord.bulkDelete(recent.map(\.id), in: channel, reason: "probe purge")
                detail = String(recent.count)
            case "delete": try await discord.delete(try need(message, "message"), in: channel, reason: "probe delete")
            case "pin": try await discord.pin(try need(message, "message"), in: channel, reason: "probe pin")
            case "unpin": try await discord.unpin(try need(message, "message"), in: channel)
            case "add_role": try await discord.addRole(try need(role, "role"), to: try need(member, "member"), in: guild, reason: "probe")
            case "remove_role": try await discord.removeRole(try need(role, "role"), from: try need(member, "member"), in: guild)
            case "nick": try await discord.setNickname("Probed", for: try need(member, "member"), in: guild, reason: "probe")
            case "timeout": try await discord.timeout(try need(member, "member"), in: guild, for: .seconds(600), reason: "probe")
            case "untimeout": try await discord.removeTimeout(try need(member, "member"), in: guild)
            case "kick": try await discord.kick(try need(member, "member"), from: guild, reason: "probe kick")
            case "ban": try await discord.ban(try need(member, "member"), from: guild, deletingMessages: .seconds(3_600), reason: "probe ban")
            case "unban": try await discord.unban(try need(member, "member"), from: guild, reason: "probe unban")
            case "create_role":
                let made = try await discord.createRole(in: guild, name: "probe role", permissions: [.sendMessages], colour: 0x3498DB)
                try storage.set(lastRole, to: made.rawValue, in: .global)
                detail = made.description
            case "edit_role": try await discord.editRole(Snowflake(try storage.get(lastRole, in: .global)), in: guild, name: "probe role 2")
            case "delete_role": try await discord.deleteRole(Snowflake(try storage.get(lastRole, in: .global)), in: guild, reason: "probe")
            case "thread":
                let thread = try await discord.createThread(named: "probe thread", from: try sent().id, in: channel, archiveAfter: 60)
                try storage.set(lastThread, to: thread.rawValue, in: .global)
                detail = thread.description
            case "private_thread":
                let thread = try await discord.createThread(named: "probe private", in: channel, isPrivate: true)
                try storage.set(lastThread, to: thread.rawValue, in: .global)
                detail = thread.description
            case "post_in_thread":
                try keep(try await discord.send(to: Snowflake(try storage.get(lastThread, in: .global)), content: "in the thread"))
            case "thread_member": try await discord.addMember(try need(member, "member"), toThread: Snowflake(try storage.get(lastThread, in: .global)))
            case "archive": try await discord.archiveThread(Snowflake(try storage.get(lastThread, in: .global)), locked: true, reason: "probe")
            case "dm": try keep(try await discord.sendDirectMessage(to: try need(member, "member"), content: "a probe DM"))
            case "upload":
                try keep(try await discord.send(to: channel, content: "a file", files: [MessageFile(name: "probe.txt", text: "hello file")]))
            case "follow_up":
                let interaction = Snowflake(previous)
                let posted = try await discord.followUp(interaction, content: "a follow-up", ephemeral: true)
                try storage.set(lastFollowUp, to: [interaction.rawValue, posted.id.rawValue], in: .global)
            case "edit_follow_up", "delete_follow_up", "edit_original":
                let kept = try storage.get(lastFollowUp, in: .global)
                guard kept.count == 2 else { throw CommandError("follow up first") }
                switch action {
                case "edit_follow_up": try await discord.editFollowUp(Snowflake(kept[0]), message: Snowflake(kept[1]), content: "edited follow-up")
                case "edit_original": try await discord.editFollowUp(Snowflake(kept[0]), message: nil, content: "edited original")
                default: try await discord.deleteFollowUp(Snowflake(kept[0]), message: Snowflake(kept[1]))
                }
            default:
                throw CommandError("no action \(action)")
            }
        } catch let error as ServiceCallError {
            return .message("refused: \(error.message)", ephemeral: true)
        }
        return .message("ok \(action)\(detail.isEmpty ? "" : " \(detail)")", ephemeral: true)
    }
}
