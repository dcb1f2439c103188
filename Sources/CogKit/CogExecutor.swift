import Foundation

/// The threads a cog generation's handlers and jobs run on, instead of the host's cooperative
/// pool (one thread per core).
///
/// Storage calls are synchronous: a statement blocks its thread for as long as it runs (up to
/// its time budget). On the shared pool, a few slow statements of one cog would leave no
/// thread for the other cogs' commands, the host's gateway work or `/health`. Here they wait on
/// this cog's own threads. Threads start on demand, at most ``maximumThreads``, and end after
/// ``idleTimeout`` without work, so an idle cog or a replaced generation costs no thread.
final class CogExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `condition`.
    static let maximumThreads = 2
    static let idleTimeout: TimeInterval = 30

    private let name: String
    private let condition = NSCondition()
    private var queue: [UnownedJob] = []
    private var next = 0
    private var threads = 0
    private var idle = 0

    init(name: String) {
        self.name = name
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        queue.append(job)
        let spawn = idle == 0 && threads < Self.maximumThreads
        if spawn { threads += 1 } else { condition.signal() }
        let index = threads
        condition.unlock()
        if spawn {
            let thread = Thread { [self] in work() }
            thread.name = "cog-\(name)-\(index)"
            thread.start()
        }
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        condition.lock()
        while true {
            if next < queue.count {
                let job = queue[next]
                next += 1
                if next == queue.count {
                    queue.removeAll(keepingCapacity: queue.capacity <= 1024)
                    next = 0
                }
                condition.unlock()
                job.runSynchronously(on: executor)
                condition.lock()
                continue
            }
            idle += 1
            let woken = condition.wait(until: Date(timeIntervalSinceNow: Self.idleTimeout))
            idle -= 1
            if !woken, next == queue.count {
                threads -= 1
                condition.unlock()
                return
            }
        }
    }
}
