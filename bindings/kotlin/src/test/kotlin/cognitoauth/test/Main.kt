package cognitoauth.test

import kotlin.system.exitProcess

/** Runs every test group (run-tests.sh starts this with the fixture and library paths). */
fun main() {
    val harness = Harness()
    registerAll(harness)
    exitProcess(if (harness.run() == 0) 0 else 1)
}

/** Every test group, in the order they run. */
fun registerAll(h: Harness) {
    harnessSelfTests(h)
    totpTests(h)
    utilityTests(h)
    deviceFactsTests(h)
    signInTests(h)
    hostileServerTests(h)
    errorTests(h)
    secretRedactionTests(h)
    endToEndTests(h)
    clientTests(h)
    webUiTests(h)
}

/** The harness's own helpers (no library involved). */
fun harnessSelfTests(h: Harness) {
    h.test("json reader: nested values, escapes, null") {
        val v = Json.obj("""{"a":[1,2.5,"x\"\u00e9"],"b":{"c":null,"d":true}}""")
        kotlin.test.assertEquals(listOf(1L, 2.5, "x\"é"), v["a"])
        kotlin.test.assertEquals(mapOf("c" to null, "d" to true), v["b"])
        kotlin.test.assertFailsWith<IllegalArgumentException> { Json.parse("{\"a\":") }
    }
}
