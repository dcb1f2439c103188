import CCogABI
@testable import CogHost
import DiscordModels
import Testing

/// Discord's answering rules as the reply planner applies them, without a router or a cog.
@Suite("Reply planner: a cog's answer becomes the right callback or edit")
struct ReplyPlannerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: cog_request_kind
        var interaction: InteractionType
        var deferred: Bool
        var status: Int32 = Int32(COG_OK.rawValue)
        var document: String
        var step: ReplyStep
        /// Part of the failure's detail, or `nil` when the answer is as it should be.
        var failure: String?
        var testDescription: String { name }
    }

    static let data = Array(#"{"content":"hi"}"#.utf8)
    /// `data` as the host sends it: pinging users only (``OutgoingMessage``).
    static let sent = Array(#"{"content":"hi","allowed_mentions":{"parse":["users"]}}"#.utf8)
    static let failed = HostMessage.ephemeral(HostMessage.failed)

    static let cases: [Case] = [
        Case(name: "a message first", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: false,
             document: #"{"kind":"message","data":{"content":"hi"}}"#, step: .respond(.message(sent))),
        Case(name: "a message after a deferral edits", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: true,
             document: #"{"kind":"message","data":{"content":"hi"}}"#, step: .editOriginal(sent)),
        Case(name: "a component's update", kind: COG_REQUEST_COMPONENT, interaction: .messageComponent, deferred: false,
             document: #"{"kind":"update","data":{"content":"hi"}}"#, step: .respond(InteractionCallback(type: .updateMessage, data: sent))),
        Case(name: "a component's update after a deferral edits", kind: COG_REQUEST_COMPONENT, interaction: .messageComponent,
             deferred: true, document: #"{"kind":"update","data":{"content":"hi"}}"#, step: .editOriginal(sent)),
        Case(name: "an answer asking to ping @everyone pings users only", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand,
             deferred: false,
             document: #"{"kind":"message","data":{"content":"@everyone","allowed_mentions":{"parse":["everyone","roles","users"],"roles":["5"]}}}"#,
             step: .respond(.message(Array(#"{"content":"@everyone","allowed_mentions":{"parse":["users"]}}"#.utf8)))),
        Case(name: "an update from a command is refused", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: false,
             document: #"{"kind":"update","data":{"content":"hi"}}"#, step: .respond(.message(failed)), failure: "only a component"),
        Case(name: "a modal first", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: false,
             document: #"{"kind":"modal","data":{"content":"hi"}}"#, step: .respond(InteractionCallback(type: .modal, data: data))),
        Case(name: "a modal after a deferral is refused", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: true,
             document: #"{"kind":"modal","data":{"content":"hi"}}"#, step: .editOriginal(failed), failure: "after deferring"),
        Case(name: "a modal from a modal submit is refused", kind: COG_REQUEST_MODAL, interaction: .modalSubmit, deferred: false,
             document: #"{"kind":"modal","data":{"content":"hi"}}"#, step: .respond(.message(failed)), failure: "from a modal submit"),
        Case(name: "the cog's own words for the player", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: false,
             document: #"{"kind":"error","message":"Bad dice","detail":"parse"}"#,
             step: .respond(.message(HostMessage.ephemeral("Bad dice"))), failure: "parse"),
        Case(name: "a failed status apologises", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: false,
             status: Int32(COG_ERR_FAILED.rawValue), document: "boom", step: .respond(.message(failed)), failure: "status"),
        Case(name: "a job's answer to a command", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: false,
             document: #"{"kind":"done"}"#, step: .respond(.message(failed)), failure: "as if it were a job"),
        Case(name: "choices for a command", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: false,
             document: #"{"kind":"choices","choices":[]}"#, step: .respond(.message(failed)), failure: "autocomplete suggestions"),
        Case(name: "autocomplete choices", kind: COG_REQUEST_AUTOCOMPLETE, interaction: .applicationCommandAutocomplete, deferred: false,
             document: #"{"kind":"choices","choices":[{"name":"a","value":"a"}]}"#,
             step: .respond(.suggestions(Array(#"[{"name":"a","value":"a"}]"#.utf8)))),
        Case(name: "a failed autocomplete suggests nothing", kind: COG_REQUEST_AUTOCOMPLETE, interaction: .applicationCommandAutocomplete,
             deferred: false, document: #"{"kind":"message","data":{}}"#, step: .respond(.suggestions(Array("[]".utf8))),
             failure: "autocomplete"),
        Case(name: "an unreadable document apologises", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand, deferred: true,
             document: "{not json", step: .editOriginal(failed), failure: "unreadable"),
        Case(name: "content over 2,000 characters apologises", kind: COG_REQUEST_COMMAND, interaction: .applicationCommand,
             deferred: false, document: #"{"kind":"message","data":{"content":""# + String(repeating: "é", count: 2_001) + #""}}"#,
             step: .respond(.message(failed)), failure: "content is 2001 characters (at most 2000)"),
        Case(name: "an update with eleven embeds apologises", kind: COG_REQUEST_COMPONENT, interaction: .messageComponent,
             deferred: true, document: #"{"kind":"update","data":{"embeds":["# + Array(repeating: #"{"title":"t"}"#, count: 11).joined(separator: ",") + "]}}",
             step: .editOriginal(failed), failure: "11 embeds (at most 10)"),
    ]

    @Test("each answer, by kind and deferral", arguments: cases)
    func plan(_ example: Case) {
        let plan = ReplyPlanner.plan(cog: "probe", kind: example.kind, interactionType: example.interaction.rawValue, deferred: example.deferred,
                                     status: example.status, bytes: Array(example.document.utf8))
        #expect(plan.step == example.step)
        if let failure = example.failure {
            #expect(plan.failure?.detail.contains(failure) == true, "\(String(describing: plan.failure))")
        } else {
            #expect(plan.failure == nil)
        }
    }

    @Test("Discord's message limits: size, UTF-8, content, embeds and their characters, fields, rows, buttons and custom ids")
    func messageLimits() {
        func problem(_ json: String) -> String? { MessageLimits.problem(in: Array(json.utf8), sentBy: "probe") }
        #expect(problem(#"{"content":"hi","embeds":[{"title":"t","fields":[{"name":"a","value":"b"}]}]}"#) == nil)
        #expect(problem(#"{"content":null,"components":null}"#) == nil)
        #expect(MessageLimits.problem(in: Array(#"{"content":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8), sentBy: "probe") == "the message is not valid UTF-8")
        #expect(MessageLimits.problem(in: Array(repeating: UInt8(ascii: " "), count: 300_000), sentBy: "probe")?.contains("bytes") == true)
        let longDescription = String(repeating: "x", count: 4_000)
        #expect(problem(#"{"embeds":[{"description":"\#(longDescription)"},{"description":"\#(longDescription)"}]}"#)
            == "the embeds hold 8000 characters (at most 6000)")
        let fields = Array(repeating: #"{"name":"n","value":"v"}"#, count: 26).joined(separator: ",")
        #expect(problem(#"{"embeds":[{"fields":[\#(fields)]}]}"#) == "embed 1 has 26 fields (at most 25)")
        let buttons = Array(repeating: #"{"type":2,"custom_id":"probe:x"}"#, count: 6).joined(separator: ",")
        #expect(problem(#"{"components":[{"type":1,"components":[\#(buttons)]}]}"#) == "row 1 has 6 components (at most 5)")
        let rows = Array(repeating: #"{"type":1,"components":[]}"#, count: 6).joined(separator: ",")
        #expect(problem(#"{"components":[\#(rows)]}"#) == "the message has 6 rows of components (at most 5)")
        #expect(problem(#"{"components":[{"type":1,"components":[{"custom_id":"\#(String(repeating: "c", count: 101))"}]}]}"#)
            == "a custom_id in row 1 is 101 characters (at most 100)")
        #expect(problem("[1]")?.hasPrefix("the message is not a JSON object") == true)
    }

    @Test("every custom_id a cog sends carries its name, so a click is routed only to the cog whose message it was on")
    func customIDsAreAttributable() {
        func problem(_ json: String, modal: Bool = false) -> String? { MessageLimits.problem(in: Array(json.utf8), sentBy: "probe", asModal: modal) }
        let button = { (id: String) in #"{"components":[{"type":1,"components":[{"type":2,"custom_id":"\#(id)"},{"type":2,"url":"https://x.example"}]}]}"# }
        #expect(problem(button("probe:vote:1")) == nil)
        for foreign in ["polls:close:1", "probex:vote", "probe", ":vote", "Probe:vote"] {
            #expect(problem(button(foreign))?.contains("does not start with 'probe:'") == true, "\(foreign)")
        }
        let modal = { (id: String) in #"{"custom_id":"\#(id)","title":"t","components":[{"type":1,"components":[{"type":4,"custom_id":"answer"}]}]}"# }
        #expect(problem(modal("probe:ask"), modal: true) == nil, "a modal's text inputs are named freely")
        #expect(problem(modal("polls:ask"), modal: true) == "the modal's custom_id 'polls:ask' does not start with 'probe:', so its clicks could not be routed to this cog")
        let plan = ReplyPlanner.plan(cog: "probe", kind: COG_REQUEST_COMMAND, interactionType: InteractionType.applicationCommand.rawValue,
                                     deferred: false, status: Int32(COG_OK.rawValue),
                                     bytes: Array(#"{"kind":"message","data":\#(button("polls:close:1"))}"#.utf8))
        #expect(plan.step == .respond(.message(Self.failed)))
        #expect(plan.failure?.detail.contains("polls:close:1") == true)
    }

    @Test("a deferral is sent at most once, and never for autocomplete")
    func deferral() {
        #expect(ReplyPlanner.deferral(kind: COG_REQUEST_COMMAND, alreadyDeferred: false, ephemeral: true) == .deferred(ephemeral: true))
        #expect(ReplyPlanner.deferral(kind: COG_REQUEST_COMPONENT, alreadyDeferred: false, ephemeral: false) == .deferred(ephemeral: false))
        #expect(ReplyPlanner.deferral(kind: COG_REQUEST_COMMAND, alreadyDeferred: true, ephemeral: false) == nil)
        #expect(ReplyPlanner.deferral(kind: COG_REQUEST_AUTOCOMPLETE, alreadyDeferred: false, ephemeral: false) == nil)
    }

    @Test("a timeout tells the player, as an edit once deferred; autocomplete stays silent")
    func timeout() {
        let timedOut = HostMessage.ephemeral(HostMessage.timedOut)
        #expect(ReplyPlanner.timeout(kind: COG_REQUEST_COMMAND, deferred: false) == .respond(.message(timedOut)))
        #expect(ReplyPlanner.timeout(kind: COG_REQUEST_MODAL, deferred: true) == .editOriginal(timedOut))
        #expect(ReplyPlanner.timeout(kind: COG_REQUEST_AUTOCOMPLETE, deferred: false) == nil)
    }
}
