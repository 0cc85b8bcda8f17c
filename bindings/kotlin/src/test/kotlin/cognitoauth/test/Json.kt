package cognitoauth.test

/**
 * A minimal JSON reader for tests (fixture.json, canned responses, JWT payloads): objects
 * become `Map<String, Any?>`, arrays `List<Any?>`, numbers `Double` (or `Long` when integral),
 * plus `String`, `Boolean` and `null`. Throws [IllegalArgumentException] on malformed input.
 */
object Json {
    fun parse(text: String): Any? {
        val reader = Reader(text)
        val value = reader.value()
        reader.skipSpace()
        require(reader.atEnd()) { "trailing data at ${reader.pos}" }
        return value
    }

    @Suppress("UNCHECKED_CAST")
    fun obj(text: String): Map<String, Any?> =
        parse(text) as? Map<String, Any?> ?: throw IllegalArgumentException("not a JSON object")

    /** Quotes a string as a JSON string literal. */
    fun quote(s: String): String = buildString {
        append('"')
        for (c in s) when (c) {
            '"' -> append("\\\"")
            '\\' -> append("\\\\")
            '\n' -> append("\\n")
            '\r' -> append("\\r")
            '\t' -> append("\\t")
            else -> if (c < ' ') append("\\u%04x".format(c.code)) else append(c)
        }
        append('"')
    }

    private class Reader(val s: String) {
        var pos = 0
        fun atEnd() = pos >= s.length
        fun skipSpace() { while (!atEnd() && s[pos].isWhitespace()) pos++ }
        fun expect(c: Char) {
            require(!atEnd() && s[pos] == c) { "expected '$c' at $pos" }
            pos++
        }

        fun value(): Any? {
            skipSpace()
            require(!atEnd()) { "unexpected end of JSON" }
            return when (val c = s[pos]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> str()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> if (c == '-' || c.isDigit()) num() else throw IllegalArgumentException("unexpected '$c' at $pos")
            }
        }

        fun literal(word: String, v: Any?): Any? {
            require(s.startsWith(word, pos)) { "bad literal at $pos" }
            pos += word.length
            return v
        }

        fun obj(): Map<String, Any?> {
            expect('{')
            val out = LinkedHashMap<String, Any?>()
            skipSpace()
            if (!atEnd() && s[pos] == '}') { pos++; return out }
            while (true) {
                skipSpace()
                val key = str()
                skipSpace(); expect(':')
                out[key] = value()
                skipSpace()
                if (!atEnd() && s[pos] == ',') { pos++; continue }
                expect('}')
                return out
            }
        }

        fun arr(): List<Any?> {
            expect('[')
            val out = ArrayList<Any?>()
            skipSpace()
            if (!atEnd() && s[pos] == ']') { pos++; return out }
            while (true) {
                out += value()
                skipSpace()
                if (!atEnd() && s[pos] == ',') { pos++; continue }
                expect(']')
                return out
            }
        }

        fun str(): String {
            expect('"')
            val out = StringBuilder()
            while (true) {
                require(!atEnd()) { "unterminated string" }
                val c = s[pos++]
                when (c) {
                    '"' -> return out.toString()
                    '\\' -> {
                        require(!atEnd()) { "bad escape" }
                        when (val e = s[pos++]) {
                            '"', '\\', '/' -> out.append(e)
                            'b' -> out.append('\b')
                            'f' -> out.append('\u000C')
                            'n' -> out.append('\n')
                            'r' -> out.append('\r')
                            't' -> out.append('\t')
                            'u' -> {
                                require(pos + 4 <= s.length) { "bad \\u escape" }
                                out.append(s.substring(pos, pos + 4).toInt(16).toChar())
                                pos += 4
                            }
                            else -> throw IllegalArgumentException("bad escape \\$e")
                        }
                    }
                    else -> out.append(c)
                }
            }
        }

        fun num(): Any {
            val start = pos
            while (!atEnd() && (s[pos].isDigit() || s[pos] in "+-.eE")) pos++
            val text = s.substring(start, pos)
            return text.toLongOrNull() ?: text.toDouble()
        }
    }
}
