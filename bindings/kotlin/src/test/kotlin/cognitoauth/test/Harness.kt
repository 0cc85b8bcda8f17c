package cognitoauth.test

import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * A JUnit-free test harness: `kotlin.test` assertions (they throw [AssertionError] when no
 * JUnit is on the classpath), one `ok`/`FAIL` line per test, a closing line `N passed, M failed`,
 * exit status 1 on any failure. Each test runs on its own daemon thread with a deadline, so a
 * hung network call fails that test instead of the whole run.
 */
class Harness(private val perTestTimeoutSecs: Long = 60) {
    private val tests = mutableListOf<Pair<String, () -> Unit>>()

    /** Registers a test; names must be unique. */
    fun test(name: String, body: () -> Unit) {
        require(tests.none { it.first == name }) { "duplicate test name $name" }
        tests += name to body
    }

    /** Runs every test in registration order; returns the number of failures. */
    fun run(): Int {
        var passed = 0
        var failed = 0
        val runStarted = System.nanoTime()
        val executor = Executors.newCachedThreadPool { runnable ->
            Thread(runnable, "test").apply { isDaemon = true }
        }
        for ((name, body) in tests) {
            val started = System.nanoTime()
            val future = executor.submit<Unit> { body() }
            val problem: Throwable? = try {
                future.get(perTestTimeoutSecs, TimeUnit.SECONDS)
                null
            } catch (e: ExecutionException) {
                e.cause ?: e
            } catch (e: TimeoutException) {
                future.cancel(true)
                AssertionError("did not finish within $perTestTimeoutSecs s")
            }
            val ms = (System.nanoTime() - started) / 1_000_000
            if (problem == null) {
                passed++
                println("ok   $name ($ms ms)")
            } else {
                failed++
                println("FAIL $name ($ms ms): ${problem::class.qualifiedName}: ${problem.message}")
                problem.stackTrace
                    .filter { it.className.startsWith("cognitoauth.test") }
                    .take(4)
                    .forEach { println("       at $it") }
            }
        }
        executor.shutdownNow()
        timingLine((System.nanoTime() - runStarted) / 1e9)?.let(::println)
        println("$passed passed, $failed failed")
        return failed
    }

    /** The suite's wall time when run-tests.sh passed its start time. */
    private fun timingLine(testSecs: Double): String? {
        val startedMs = System.getProperty("cognitoauth.suite.started.ms")?.toLongOrNull() ?: return null
        val total = (System.currentTimeMillis() - startedMs) / 1000.0
        val compile = System.getProperty("cognitoauth.compile.secs") ?: "?"
        val fixtures = System.getProperty("cognitoauth.fixture.secs") ?: "?"
        return "kotlin suite: %.1f s wall (kotlinc %s s, MiniStack fixtures %s s, tests %.1f s)".format(total, compile, fixtures, testSecs)
    }
}
