import CCogABI
import CHostSupport
import CogWire
import Foundation
import Logging
import Storage
import Synchronization

/// One initialised instance of a cog image: what the router calls.
///
/// A generation is created by a load or reload, serves until the next swap, then is drained
/// and shut down. Its image stays mapped forever.
public final class Generation: Sendable {
    /// The image this generation runs.
    public let image: CogImage
    /// 1 for the first load of a cog in this process, then +1 per reload.
    public let number: Int
    /// When the generation started serving.
    public let loadedAt: Date
    /// Calls routed to this generation and not yet finished.
    let inFlight = InFlightCalls()
    /// Cooldowns declared by the cog, by route.
    let cooldowns: [String: CooldownRule]
    /// The gateway dispatches the cog listens to.
    let events: Set<String>
    let flightSlot: UInt32

    private let services: GenerationServices
    // nonisolated(unsafe): set by init, then only passed back to the cog.
    nonisolated(unsafe) private let context: UnsafeMutableRawPointer?

    /// Initialises a generation of `image`, handing it `previousState`.
    init(
        image: CogImage, number: Int, flightSlot: UInt32, previousState: [UInt8]?, storage: CogStore,
        providers: CogServiceProviders?, logger: Logger
    ) throws(CogLoadError) {
        var logger = logger
        logger[metadataKey: "cog"] = "\(image.name)"
        logger[metadataKey: "generation"] = "\(number)"
        let services = GenerationServices(logger: logger, storage: storage, providers: providers)
        var context: UnsafeMutableRawPointer?
        var errorMessage = cog_buffer(data: nil, length: 0)
        let descriptor = image.descriptor.pointee
        let status = (previousState ?? []).withUnsafeBufferPointer { state in
            descriptor.`init`(services.table, previousState == nil ? nil : state.baseAddress, state.count,
                              &context, &errorMessage)
        }
        guard status == Int32(COG_OK.rawValue) else {
            let reason = errorMessage.data.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: errorMessage.length), as: UTF8.self)
            } ?? "init returned status \(status)"
            if errorMessage.data != nil { descriptor.free_buffer(errorMessage) }
            throw .initFailed(cog: image.name, reason: reason)
        }
        self.image = image
        self.number = number
        self.loadedAt = Date()
        self.flightSlot = flightSlot
        self.services = services
        self.context = context
        var cooldowns: [String: CooldownRule] = [:]
        for declaration in image.manifest.cooldowns {
            cooldowns[declaration.route] = CooldownRule(declaration)
        }
        self.cooldowns = cooldowns
        events = Set(image.manifest.events)
    }

    /// Makes one call into the cog: opens it in `registry`, starts it, and runs `body` with it
    /// (to wait for its events). The flight recorder names the cog from the start until the
    /// cog completes or times out (not while the host then sends the answer), for crash
    /// attribution; the call closes when `body` returns.
    func call<Result>(
        in registry: CallRegistry, kind: cog_request_kind, route: String, payload: [UInt8], event: EventRequestFacts? = nil,
        timeout: Duration, autoDeferAfter: Duration?, _ body: (inout CallInFlight) async -> Result
    ) async -> Result {
        await registry.withCall(timeout: timeout, autoDeferAfter: autoDeferAfter) { call in
            payload.withUnsafeBytes { start(call, kind: kind, route: route, payload: $0, event: event ?? EventRequestFacts()) }
            var inFlight = CallInFlight(call: call, flightSlot: flightSlot)
            let result = await body(&inFlight)
            inFlight.cogFinished()
            return result
        }
    }

    private func start(_ call: CogCall, kind: cog_request_kind, route: String, payload: UnsafeRawBufferPointer,
                       event: EventRequestFacts) {
        var route = route
        route.withUTF8 { routeBytes in
            fr_enter(flightSlot, routeBytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                     routeBytes.count)
            routeBytes.withMemoryRebound(to: CChar.self) { routeChars in
                var request = cog_request(
                    abi_version: COG_ABI_VERSION,
                    struct_size: UInt32(MemoryLayout<cog_request>.size),
                    request_id: call.id,
                    kind: Int32(kind.rawValue),
                    route: routeChars.baseAddress,
                    route_length: routeChars.count,
                    payload: payload.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    payload_length: payload.count,
                    shard: event.facts.shard,
                    event_flags: event.flags,
                    guild_id: event.facts.guild,
                    channel_id: event.facts.channel,
                    user_id: event.facts.user,
                    message_id: event.facts.message
                )
                image.descriptor.pointee.handle(context, &request, cogCompletion, call.context)
            }
        }
    }

    /// How long this generation's statements may run.
    var sqlBudgets: CogSQLBudgets { services.storage.budgets }

    /// Counts a call routed here out again (see ``RoutingTable/withServer(command:_:)``).
    func leave() {
        inFlight.leave()
    }

    /// What this generation hands to the next one, or `nil` when the cog exports nothing.
    func exportState() throws(CogLoadError) -> [UInt8]? {
        let descriptor = image.descriptor.pointee
        guard let export = descriptor.export_state else { return nil }
        var buffer = cog_buffer(data: nil, length: 0)
        let status = export(context, &buffer)
        defer { if buffer.data != nil { descriptor.free_buffer(buffer) } }
        let bytes = buffer.data.map { Array(UnsafeBufferPointer(start: $0, count: buffer.length)) } ?? []
        guard status == Int32(COG_OK.rawValue) else {
            throw .initFailed(cog: image.name, reason: "the running generation could not export its state: \(String(decoding: bytes, as: UTF8.self))")
        }
        return bytes
    }

    /// Waits until no call is in flight, or `timeout` passes. Returns whether it drained.
    func drain(timeout: Duration) async -> Bool {
        await inFlight.drain(timeout: timeout)
    }

    /// Tells the cog to stop. The image stays mapped.
    func shutdown() {
        image.descriptor.pointee.shutdown(context)
    }
}

/// What a `COG_REQUEST_EVENT` carries beside the payload: the ids found in it and the host's
/// `cog_event_flag` bits. Other kinds carry zeros.
struct EventRequestFacts: Sendable {
    var facts = EventFacts()
    var flags: UInt32 = 0
}

/// A call the cog is running: its events, and the flight recorder's note that the cog is
/// running, taken off as soon as the cog completes or times out.
struct CallInFlight {
    let call: CogCall
    let flightSlot: UInt32
    private var running = true

    init(call: CogCall, flightSlot: UInt32) {
        self.call = call
        self.flightSlot = flightSlot
    }

    /// Waits for what happens next to the call.
    mutating func next() async -> CallEvent {
        let event = await call.next()
        switch event {
        case .completed, .timedOut: cogFinished()
        case .deferRequested: break
        }
        return event
    }

    /// The cog is no longer running this call (once; again does nothing).
    mutating func cogFinished() {
        guard running else { return }
        running = false
        fr_exit(flightSlot)
    }
}

/// Completion trampoline: the context is the call's id (see ``CallRegistry``).
private let cogCompletion: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<UInt8>?, Int) -> Void = {
    context, status, bytes, length in
    let requestID = UInt64(UInt(bitPattern: context))
    let copy = bytes.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
    if !CallRegistry.post(.completed(status: status, bytes: copy), toCall: requestID) {
        Logger(label: "cogwheel.cogs").warning("late or duplicate completion ignored", metadata: ["request": "\(requestID)"])
    }
}
