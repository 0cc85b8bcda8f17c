/*
 * Baseline: the Cognito SRP client's big-number work on libtommath (Debian's libtommath-dev 1.2.0;
 * Amplify Swift vendors a fork of LibTomMath 1.2.0 as AmplifyBigInteger), computed the way
 * amplify-swift's SRPClientState does it:
 *
 *   A    = mp_exptmod(g, a, N)
 *   base = B - k * mp_exptmod(g, x, N)        (not reduced: negative almost always)
 *   exp  = a + u * x
 *   S    = mp_exptmod(base, exp, N)           (libtommath reduces the negative base itself)
 *
 * A child process of the paired harness (benches/src/paired.rs, `srp_paired --libtommath`),
 * speaking a line protocol on stdin/stdout:
 *
 *   harness -> child: "N <hex>", "g <hex>", "k <hex>", "a <hex>", "B <hex>", "x <hex>", "u <hex>",
 *                     then "end"
 *   child -> harness: "A <hex>", "S <hex>" (lower case), "ready"
 *   harness -> child: "run <n>"   child: runs the computation n times and answers
 *                                 "<thread cpu ns> <wall ns>" for the n runs together
 *   harness -> child: "quit" (or end of input)
 *
 * x and u (SHA-256 values, microseconds) come from the harness; the timed part is what a
 * client does with the numbers: parsing a and B from hex, the three exponentiations, the
 * multiplications and the subtraction. Build: cc -O2 libtommath_srp.c -ltommath.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tommath.h>

#define LINE_MAX_BYTES 4096

static void die(const char *what) {
    fprintf(stderr, "libtommath_srp: %s\n", what);
    exit(1);
}

static void check(mp_err err, const char *what) {
    if (err != MP_OKAY) {
        fprintf(stderr, "libtommath_srp: %s: %s\n", what, mp_error_to_string(err));
        exit(1);
    }
}

static long long nanos(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) die("clock_gettime failed");
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static char hex_n[LINE_MAX_BYTES], hex_g[LINE_MAX_BYTES], hex_k[LINE_MAX_BYTES],
    hex_a[LINE_MAX_BYTES], hex_b[LINE_MAX_BYTES], hex_x[LINE_MAX_BYTES], hex_u[LINE_MAX_BYTES];

static mp_int n, g, k, x, u;

/* One client computation: parses a and B, computes A and S into the given integers. */
static void compute(mp_int *a_pub, mp_int *s) {
    mp_int a, b, gx, base, exp;
    check(mp_init_multi(&a, &b, &gx, &base, &exp, NULL), "mp_init_multi");
    check(mp_read_radix(&a, hex_a, 16), "parse a");
    check(mp_read_radix(&b, hex_b, 16), "parse B");
    check(mp_exptmod(&g, &a, &n, a_pub), "g^a");
    check(mp_exptmod(&g, &x, &n, &gx), "g^x");
    check(mp_mul(&k, &gx, &base), "k*g^x");
    check(mp_sub(&b, &base, &base), "B - k*g^x");
    check(mp_mul(&u, &x, &exp), "u*x");
    check(mp_add(&a, &exp, &exp), "a + u*x");
    check(mp_exptmod(&base, &exp, &n, s), "S");
    mp_clear_multi(&a, &b, &gx, &base, &exp, NULL);
}

static void print_hex(const char *label, const mp_int *value) {
    char out[LINE_MAX_BYTES];
    check(mp_to_radix(value, out, sizeof out, NULL, 16), "to hex");
    for (char *c = out; *c; c++) *c = (char)tolower((unsigned char)*c);
    printf("%s %s\n", label, out);
}

int main(void) {
    char line[LINE_MAX_BYTES + 8];
    struct { const char *key; char *dest; } fields[] = {
        {"N", hex_n}, {"g", hex_g}, {"k", hex_k}, {"a", hex_a},
        {"B", hex_b}, {"x", hex_x}, {"u", hex_u},
    };
    size_t seen = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (strcmp(line, "end") == 0) break;
        char *space = strchr(line, ' ');
        if (!space) die("expected \"KEY HEX\" or \"end\"");
        *space = 0;
        size_t i;
        for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            if (strcmp(line, fields[i].key) == 0) break;
        }
        if (i == sizeof fields / sizeof fields[0]) die("unknown key");
        if (strlen(space + 1) >= LINE_MAX_BYTES) die("value too long");
        strcpy(fields[i].dest, space + 1);
        seen |= (size_t)1 << i;
    }
    if (seen != ((size_t)1 << (sizeof fields / sizeof fields[0])) - 1) die("missing inputs");
    check(mp_init_multi(&n, &g, &k, &x, &u, NULL), "mp_init_multi");
    check(mp_read_radix(&n, hex_n, 16), "parse N");
    check(mp_read_radix(&g, hex_g, 16), "parse g");
    check(mp_read_radix(&k, hex_k, 16), "parse k");
    check(mp_read_radix(&x, hex_x, 16), "parse x");
    check(mp_read_radix(&u, hex_u, 16), "parse u");

    mp_int a_pub, s;
    check(mp_init_multi(&a_pub, &s, NULL), "mp_init_multi");
    compute(&a_pub, &s);
    print_hex("A", &a_pub);
    print_hex("S", &s);
    printf("ready\n");
    fflush(stdout);

    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (strcmp(line, "quit") == 0) break;
        long runs;
        if (sscanf(line, "run %ld", &runs) != 1 || runs < 1) die("expected \"run N\" or \"quit\"");
        long long cpu0 = nanos(CLOCK_THREAD_CPUTIME_ID), wall0 = nanos(CLOCK_MONOTONIC);
        for (long i = 0; i < runs; i++) compute(&a_pub, &s);
        long long cpu1 = nanos(CLOCK_THREAD_CPUTIME_ID), wall1 = nanos(CLOCK_MONOTONIC);
        printf("%lld %lld\n", cpu1 - cpu0, wall1 - wall0);
        fflush(stdout);
    }
    mp_clear_multi(&a_pub, &s, &n, &g, &k, &x, &u, NULL);
    return 0;
}
