import CCogABI
internal import CogWire
import Synchronization

/// One running generation of a cog, seen through the C trampolines without its generic type.
protocol CogRuntimeProtocol: AnyObject, Sendable {
    func handle(_ request: UnsafePointer<cog_request>, completion: CompletionHandle)
    func exportState() throws -> [UInt8]
    func shutdown()
}

/// The host's completion callback and its context, carried into the handler's task.
struct CompletionHandle: @unchecked Sendable {
    // @unchecked: the host promises the context stays valid until the callback runs once.
    let function: cog_completion_fn
    let context: UnsafeMutableRawPointer?

    func complete(status: cog_status, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            function(context, Int32(status.rawValue), buffer.baseAddress, buffer.count)
        }
    }
}

/// A running generation of cog `C`: its instance, its routes and its in-flight tasks.
final class CogRuntime<C: Cog>: CogRuntimeProtocol {
    private let cog: C
    private let host: HostServices
    private let handlers: [String: Command<C>.Handler]
    private let completers: [String: Command<C>.Completer]
    private let actions: [String: Action<C>.Handler]
    private let jobs: [String: Job<C>.Handler]
    /// The listeners of each dispatch name, in declaration order.
    private let listeners: [String: [Listener<C>.Handler]]
    private let tasks = Mutex(RunningTasks())
    /// Where the handlers run, so a cog's blocking storage calls hold its own threads only.
    private let executor = CogExecutor(name: C.name)

    /// The handler tasks of this generation, so shutdown can cancel them.
    private struct RunningTasks {
        var nextID: UInt64 = 0
        var running: [UInt64: Task<Void, Never>] = [:]
        /// Tasks that finished before their handle was registered.
        var finishedEarly: Set<UInt64> = []
    }

    init(cog: C, host: HostServices) {
        self.cog = cog
        self.host = host
        var handlers: [String: Command<C>.Handler] = [:]
        var completers: [String: Command<C>.Completer] = [:]
        for entry in C.commands.flatMap({ $0.routes() }) {
            handlers[entry.route] = entry.command.handler
            completers[entry.route] = entry.command.completer
        }
        self.handlers = handlers
        self.completers = completers
        actions = Dictionary(C.actions.map { ($0.name, $0.handler) }, uniquingKeysWith: { first, _ in first })
        jobs = Dictionary(C.jobs.map { ($0.name, $0.handler) }, uniquingKeysWith: { first, _ in first })
        var listeners: [String: [Listener<C>.Handler]] = [:]
        for listener in C.listeners {
            for event in listener.events { listeners[event, default: []].append(listener.handler) }
        }
        self.listeners = listeners
    }

    /// Runs every listener of one event in order; a throwing one is reported and the others still run.
    private static func run(_ listeners: [Listener<C>.Handler], on cog: C, event: EventPayload,
                            context: EventContext) async -> ResponseDocument {
        var failures: [String] = []
        for listener in listeners {
            do {
                try await listener(cog, event, context)
            } catch {
                failures.append("\(type(of: error)): \(error)")
            }
        }
        guard !failures.isEmpty else { return .done }
        return .error(message: nil, detail: "\(event.name) listener threw \(failures.joined(separator: "; "))")
    }

    /// What a request asks for, looked up once per call.
    private enum Work {
        case command(Command<C>.Handler, CommandContext)
        case suggestions(Command<C>.Completer, CommandContext)
        case action(Action<C>.Handler, CommandContext)
        case job(Job<C>.Handler, JobContext)
        case event([Listener<C>.Handler], EventPayload, EventContext)
    }

    private func work(_ request: cog_request, route: String, payload: [UInt8]) throws -> Work? {
        let (kind, requestID) = (request.kind, request.request_id)
        func context(state: String = "") -> CommandContext {
            CommandContext(route: route, requestID: requestID, payload: payload, host: host, cog: C.name, state: state)
        }
        switch kind {
        case Int32(COG_REQUEST_COMMAND.rawValue):
            return handlers[route].map { .command($0, context()) }
        case Int32(COG_REQUEST_AUTOCOMPLETE.rawValue):
            return completers[route].map { .suggestions($0, context()) }
        case Int32(COG_REQUEST_COMPONENT.rawValue), Int32(COG_REQUEST_MODAL.rawValue):
            let (action, state) = CustomID.split(route: route)
            return actions[action].map { .action($0, context(state: state)) }
        case Int32(COG_REQUEST_JOB.rawValue):
            guard let job = jobs[route] else { return nil }
            return .job(job, try JobContext(payload: payload, host: host, cog: C.name))
        case Int32(COG_REQUEST_EVENT.rawValue):
            guard let listeners = listeners[route] else { return nil }
            let event = EventPayload(name: route, raw: payload, request: request)
            return .event(listeners, event, EventContext(event: event, host: host, cog: C.name))
        default:
            return nil
        }
    }

    func handle(_ request: UnsafePointer<cog_request>, completion: CompletionHandle) {
        let request = request.pointee
        let route = String(decoding: UnsafeRawBufferPointer(start: request.route, count: request.route_length),
                           as: UTF8.self)
        let payload = Array(UnsafeRawBufferPointer(start: request.payload, count: request.payload_length))
        let found: Work?
        do {
            found = try work(request, route: route, payload: payload)
        } catch {
            completion.complete(status: COG_ERR_BAD_REQUEST, Array("\(C.name) could not read the request for '\(route)': \(error)".utf8))
            return
        }
        guard let work = found else {
            completion.complete(status: COG_ERR_BAD_REQUEST, Array("\(C.name) has no handler for '\(route)' (request kind \(request.kind))".utf8))
            return
        }
        let cog = self.cog
        let taskID = tasks.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        // Not on the calling thread: that is the host's, and a handler may block in storage.
        let task = Task(executorPreference: executor) { [weak self] in
            let document: ResponseDocument
            do {
                switch work {
                case .command(let handler, let context), .action(let handler, let context):
                    document = try await handler(cog, context).responseDocument(cog: C.name)
                case .suggestions(let completer, let context):
                    document = Choice.suggestionDocument(try await completer(cog, context))
                case .job(let handler, let context):
                    try await handler(cog, context)
                    document = .done
                case .event(let listeners, let event, let context):
                    document = await Self.run(listeners, on: cog, event: event, context: context)
                }
            } catch {
                document = ResponseDocument.forThrown(error, route: route)
            }
            completion.complete(status: COG_OK, document.encoded())
            self?.finish(taskID)
        }
        tasks.withLock { state in
            if state.finishedEarly.remove(taskID) == nil { state.running[taskID] = task }
        }
    }

    private func finish(_ taskID: UInt64) {
        tasks.withLock { state in
            if state.running.removeValue(forKey: taskID) == nil { state.finishedEarly.insert(taskID) }
        }
    }

    func exportState() throws -> [UInt8] {
        try cog.exportState()
    }

    func shutdown() {
        let running = tasks.withLock { state in
            defer { state.running.removeAll() }
            return Array(state.running.values)
        }
        for task in running { task.cancel() }
    }
}
