import CCogABI
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
    private let tasks = Mutex(RunningTasks())

    /// The handler tasks of this generation, so shutdown can cancel them.
    private struct RunningTasks {
        var nextID: UInt64 = 0
        var running: [UInt64: Task<Void, Never>] = [:]
        /// Tasks that finished before their handle was registered (they start immediately).
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
    }

    /// What a request asks for, looked up once per call.
    private enum Work {
        case command(Command<C>.Handler)
        case suggestions(Command<C>.Completer)
    }

    func handle(_ request: UnsafePointer<cog_request>, completion: CompletionHandle) {
        let request = request.pointee
        let route = String(decoding: UnsafeRawBufferPointer(start: request.route, count: request.route_length),
                           as: UTF8.self)
        let payload = Array(UnsafeRawBufferPointer(start: request.payload, count: request.payload_length))
        let context = CommandContext(route: route, requestID: request.request_id, payload: payload, host: host)
        let work: Work? = switch request.kind {
        case Int32(COG_REQUEST_COMMAND.rawValue): handlers[route].map(Work.command)
        case Int32(COG_REQUEST_AUTOCOMPLETE.rawValue): completers[route].map(Work.suggestions)
        default: nil
        }
        guard let work else {
            completion.complete(status: COG_ERR_BAD_REQUEST, Array("\(C.name) has no handler for '\(route)' (request kind \(request.kind))".utf8))
            return
        }
        let cog = self.cog
        let taskID = tasks.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        // The handler starts on the calling thread and runs until it first suspends; most
        // commands never do, so they answer without a hop through the executor.
        let task = Task.immediate { [weak self] in
            let document: [UInt8]
            do {
                switch work {
                case .command(let handler): document = try await handler(cog, context).responseDocument()
                case .suggestions(let completer): document = Choice.suggestionDocument(try await completer(cog, context))
                }
            } catch {
                document = ResponseDocument.forThrown(error, route: route)
            }
            completion.complete(status: COG_OK, document)
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
