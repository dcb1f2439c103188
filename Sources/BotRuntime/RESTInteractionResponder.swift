import CogHost
import DiscordModels
import DiscordREST
import Foundation
import Logging

/// Answers interactions through Discord's REST API: the callback endpoint for the first
/// response, an edit of `@original` after a deferral.
struct RESTInteractionResponder: InteractionResponder {
    /// Interaction tokens expire 15 minutes after the interaction was created.
    static let tokenLifetime: TimeInterval = 15 * 60

    let rest: DiscordRESTClient
    let logger: Logger

    func respond(to interaction: InteractionRoutingFacts, with callback: InteractionCallback) async throws {
        do {
            try await rest.createInteractionResponse(id: Snowflake(interaction.id), token: interaction.token, body: callback.body)
        } catch {
            // Discord already has an answer (or the interaction expired): nothing to repair.
            guard Self.isLateOrDuplicate(error) else { throw error }
            logger.warning("a late or duplicate interaction response was refused", metadata: [
                "interaction": "\(interaction.id)", "error": "\(error)",
            ])
        }
    }

    func editOriginalResponse(of interaction: InteractionRoutingFacts, with message: [UInt8]) async throws {
        let age = Date().timeIntervalSince(Snowflake(interaction.id).date)
        guard age < Self.tokenLifetime else {
            logger.warning("the interaction token expired; the answer was dropped",
                           metadata: ["interaction": "\(interaction.id)", "age_s": "\(Int(age))"])
            return
        }
        try await rest.editOriginalResponse(application: Snowflake(interaction.applicationID), token: interaction.token,
                                            message: message)
    }

    /// 40060: already acknowledged; 10062: unknown interaction (too late, or answered elsewhere).
    private static func isLateOrDuplicate(_ error: RESTError) -> Bool {
        error.discordCode == 40060 || error.discordCode == 10062
    }
}
