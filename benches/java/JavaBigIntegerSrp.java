// Baseline: the Cognito SRP client on java.math.BigInteger, computed the way amplify-android's
// SRPHelper (a port of the AWS Android SDK's CognitoUser) does it:
//
//   A = g.modPow(a, N)
//   u = H(A.toByteArray() | B.toByteArray()),  x = H(salt.toByteArray() | H(pool | user | ":" | password))
//   S = (B - k * g.modPow(x, N)).modPow(a + u * x, N).mod(N)
//   key = HKDF-SHA256(ikm = S.toByteArray(), salt = u.toByteArray(), "Caldera Derived Key")[0..16]
//   signature = base64(HMAC-SHA256(key, pool | user | SECRET_BLOCK bytes | TIMESTAMP))
//
// Run on HotSpot here; Android runs ART, whose JIT/AOT compilers lack HotSpot's BigInteger
// intrinsics (Montgomery multiply/square, multiplyToLen, squareToLen, mulAdd).
//
// A child process of the paired harness (benches/src/paired.rs, `srp_paired --java`), with a line
// protocol on stdin/stdout:
//   harness -> child: "N <hex>", "a <hex>", "B <hex>", "salt <hex>", "pool <text>", "user <text>",
//                     "password <text>", "secret_block <base64>", "timestamp <text>", then "end"
//   child -> harness: "A <hex>", "signature <base64>", "ready"
//   harness -> child: "run <n>"  child: runs the whole computation n times and answers
//                                "<thread cpu ns> <wall ns>" for the n runs together
//   harness -> child: "quit" (or end of input)
// Build and run: javac -d DIR JavaBigIntegerSrp.java && java -cp DIR JavaBigIntegerSrp

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class JavaBigIntegerSrp {
    private static final BigInteger G = BigInteger.valueOf(2);
    private static final byte[] KEY_INFO = "Caldera Derived Key".getBytes(StandardCharsets.UTF_8);

    private final BigInteger n;
    private final BigInteger k;
    private final Map<String, String> in;

    private JavaBigIntegerSrp(Map<String, String> in) throws Exception {
        this.in = in;
        this.n = new BigInteger(in.get("N"), 16);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(n.toByteArray());
        this.k = new BigInteger(1, sha.digest(G.toByteArray()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    /** The whole client computation: {A hex, signature}. */
    private String[] claim() throws Exception {
        BigInteger a = new BigInteger(in.get("a"), 16);
        BigInteger aPub = G.modPow(a, n);
        BigInteger b = new BigInteger(in.get("B"), 16);
        BigInteger salt = new BigInteger(in.get("salt"), 16);
        if (b.mod(n).signum() == 0) {
            throw new IllegalArgumentException("B mod N is 0");
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(aPub.toByteArray());
        BigInteger u = new BigInteger(1, sha.digest(b.toByteArray()));
        sha.reset();
        sha.update(utf8(in.get("pool")));
        sha.update(utf8(in.get("user")));
        sha.update(utf8(":"));
        byte[] identity = sha.digest(utf8(in.get("password")));
        sha.reset();
        sha.update(salt.toByteArray());
        BigInteger x = new BigInteger(1, sha.digest(identity));
        BigInteger s = b.subtract(k.multiply(G.modPow(x, n))).modPow(a.add(u.multiply(x)), n).mod(n);
        byte[] prk = hmac(u.toByteArray(), s.toByteArray());
        byte[] key = Arrays.copyOf(hmac(prk, KEY_INFO, new byte[] {1}), 16);
        byte[] signature = hmac(key, utf8(in.get("pool")), utf8(in.get("user")),
                Base64.getDecoder().decode(in.get("secret_block")), utf8(in.get("timestamp")));
        return new String[] {aPub.toString(16), Base64.getEncoder().encodeToString(signature)};
    }

    public static void main(String[] args) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        Map<String, String> in = new HashMap<>();
        String line;
        while ((line = reader.readLine()) != null && !line.equals("end")) {
            int space = line.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("expected \"KEY VALUE\" or \"end\"");
            }
            in.put(line.substring(0, space), line.substring(space + 1));
        }
        for (String key : new String[] {"N", "a", "B", "salt", "pool", "user", "password", "secret_block", "timestamp"}) {
            if (!in.containsKey(key)) {
                throw new IllegalArgumentException("missing input " + key);
            }
        }
        JavaBigIntegerSrp srp = new JavaBigIntegerSrp(in);
        String[] first = srp.claim();
        out.println("A " + first[0]);
        out.println("signature " + first[1]);
        out.println("ready");
        out.flush();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String sink = "";
        while ((line = reader.readLine()) != null && !line.equals("quit")) {
            if (!line.startsWith("run ")) {
                throw new IllegalArgumentException("expected \"run N\" or \"quit\"");
            }
            long runs = Long.parseLong(line.substring(4));
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            for (long i = 0; i < runs; i++) {
                sink = srp.claim()[1];
            }
            long cpu1 = threads.getCurrentThreadCpuTime();
            long wall1 = System.nanoTime();
            if (!sink.equals(first[1])) {
                throw new IllegalStateException("the signature changed between runs");
            }
            out.println((cpu1 - cpu0) + " " + (wall1 - wall0));
            out.flush();
        }
    }
}
