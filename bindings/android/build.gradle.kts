// Inputs (both written by build-aar.sh, never edited by hand, git-ignored):
//   build/generated/uniffi/kotlin/   the generated Kotlin, package `cognitoauth`, with android = true
//                                    (android.system.SystemCleaner from API 34 on, a fallback below)
//   build/jniLibs/<abi>/             libcognito_auth_ffi.so from cargo-ndk (arm64-v8a,
//                                    armeabi-v7a, x86_64, x86)
// and the ready client: ../kotlin/src/main/kotlin (shared with the JVM jar) + src/main/kotlin.
// Output: build/outputs/aar/cognito-auth-android-release.aar
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.1.0"
    `maven-publish`
}

// Maven coordinates: io.cognitoauth:cognito-auth-android:VERSION (the JVM jar of
// bindings/kotlin/build-jar.sh is io.cognitoauth:cognito-auth). The version is the FFI crate's.
group = "io.cognitoauth"
version = Regex("""(?m)^version = "([^"]+)"""")
    .find(rootDir.resolve("../../crates/cognito-auth-ffi/Cargo.toml").readText())
    ?.groupValues?.get(1) ?: error("no version in crates/cognito-auth-ffi/Cargo.toml")

android {
    namespace = "cognitoauth"
    compileSdk = 35

    defaultConfig {
        minSdk = 24
        // Applied to the consuming app's R8 run: JNA and the bindings are reached by reflection.
        consumerProguardFiles("consumer-rules.pro")
    }

    buildTypes {
        release {
            isMinifyEnabled = false
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    // The release AAR (+ sources jar) as the one published component.
    publishing {
        singleVariant("release") {
            withSourcesJar()
        }
    }

    sourceSets {
        getByName("main") {
            java.srcDir(layout.buildDirectory.dir("generated/uniffi/kotlin"))
            // The ready client (io.cognitoauth.client) shared with the JVM jar, and this AAR's
            // default transport (src/main/kotlin: HttpURLConnection; the jar's is java.net.http).
            java.srcDir("../kotlin/src/main/kotlin")
            java.srcDir("src/main/kotlin")
            jniLibs.srcDir(layout.buildDirectory.dir("jniLibs"))
        }
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    // The @aar artifact carries JNA's libjnidispatch.so for every Android ABI (the plain jar
    // only has desktop ones). UniFFI 0.32 needs JNA >= 5.12.
    implementation("net.java.dev.jna:jna:5.14.0@aar")
    // @RequiresApi in the generated code (android = true).
    implementation("androidx.annotation:annotation:1.9.1")
    // The ready client's suspend functions, Mutex and StateFlow (the version the JVM jar's POM names).
    api("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.8.0")
}

// `./gradlew publishReleasePublicationToMavenLocal` (or a repository added below) publishes the
// AAR with a POM that lists JNA (@aar) and androidx.annotation as runtime dependencies.
afterEvaluate {
    publishing {
        publications {
            create<MavenPublication>("release") {
                from(components["release"])
                artifactId = "cognito-auth-android"
                pom {
                    name.set("cognito-auth-android")
                    description.set("Amazon Cognito sign-in (SRP, MFA, tokens) for Android: Kotlin over a Rust core")
                    url.set("https://example.invalid/cognito-auth")
                    licenses {
                        license { name.set("MIT") }
                        license { name.set("Apache-2.0") }
                    }
                }
            }
        }
    }
}
