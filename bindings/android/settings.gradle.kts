// The Android library (AAR) of cognito-auth: the UniFFI-generated Kotlin (android = true) plus
// libcognito_auth_ffi.so for four ABIs. Built by build-aar.sh, which prepares the inputs first.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "cognito-auth-android"
