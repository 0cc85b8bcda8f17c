// Inputs (both written by build-aar.sh, never edited by hand, git-ignored):
//   build/generated/uniffi/kotlin/   the generated Kotlin, package `cognitoauth`, with android = true
//                                    (android.system.SystemCleaner from API 34 on, a fallback below)
//   build/jniLibs/<abi>/             libcognito_auth_ffi.so from cargo-ndk (arm64-v8a,
//                                    armeabi-v7a, x86_64, x86)
// Output: build/outputs/aar/cognito-auth-android-release.aar
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.1.0"
}

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

    sourceSets {
        getByName("main") {
            java.srcDir(layout.buildDirectory.dir("generated/uniffi/kotlin"))
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
}
