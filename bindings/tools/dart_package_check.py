#!/usr/bin/env python3
"""Consistency of the Dart/Flutter package in bindings/dart with the generated bindings.

    dart_package_check.py --package bindings/dart --generated target/bindings/dart/cognito_auth_ffi.dart

No Dart SDK or Flutter can run here, so this checks the files that tie the package together:
pubspec.yaml (name, SDK constraint, publishable: no publish_to, a semantic version, a repository;
README.md, CHANGELOG.md, a .pubignore that keeps the git-ignored build products in the upload;
the `ffi` and `test` dependencies, `ffiPlugin: true` for
android/ios/macos/linux), the library entry point (it exports the file prepare.sh writes and
opens the library file name the generated code names), and the platform files (the places
prepare.sh copies the native libraries to). Also: the generated Dart binds every function (the
generator writes a throwing stub for signatures it cannot handle).
Prints one FAIL line per failed item, then `dart_package_check: N passed, M failed`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

PLATFORMS = ("android", "ios", "macos", "linux")


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, ok: bool, failure: str) -> None:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {failure}")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--package", required=True, type=Path)
    ap.add_argument("--generated", required=True, type=Path)
    args = ap.parse_args(argv)
    pkg: Path = args.package
    r = Report()

    pubspec = yaml.safe_load((pkg / "pubspec.yaml").read_text(encoding="utf-8"))
    r.check(pubspec.get("name") == "cognito_auth", "pubspec.yaml: name is not cognito_auth")
    sdk = str((pubspec.get("environment") or {}).get("sdk", ""))
    r.check(re.match(r"^\^3\.\d+\.\d+$", sdk) is not None, f"pubspec.yaml: sdk constraint {sdk!r} is not ^3.x.y")
    r.check("ffi" in (pubspec.get("dependencies") or {}), "pubspec.yaml: no dependency on package:ffi (the generated code imports it)")
    r.check("test" in (pubspec.get("dev_dependencies") or {}), "pubspec.yaml: no dev_dependency on package:test")
    r.check("flutter" not in (pubspec.get("dependencies") or {}), "pubspec.yaml: depends on the Flutter SDK, so `dart test` cannot run")
    platforms = (((pubspec.get("flutter") or {}).get("plugin") or {}).get("platforms")) or {}
    for platform in PLATFORMS:
        r.check(
            (platforms.get(platform) or {}).get("ffiPlugin") is True,
            f"pubspec.yaml: flutter.plugin.platforms.{platform}.ffiPlugin is not true",
        )

    # pub-ready: publishable, a version, where it comes from, the files pub.dev shows, and an
    # upload that keeps the git-ignored build products the package needs.
    r.check("publish_to" not in pubspec, "pubspec.yaml: publish_to is set (the package cannot be published)")
    version = str(pubspec.get("version", ""))
    r.check(re.match(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$", version) is not None,
            f"pubspec.yaml: version {version!r} is not semantic")
    r.check(bool(pubspec.get("repository") or pubspec.get("homepage")), "pubspec.yaml: no repository or homepage")
    for shown in ("README.md", "CHANGELOG.md"):
        r.check((pkg / shown).is_file(), f"{shown} is missing (pub.dev shows it)")
    pubignore = pkg / ".pubignore"
    r.check(pubignore.is_file(), ".pubignore is missing: pub would apply .gitignore and drop the generated bindings")
    if pubignore.is_file():
        ignored = [line.strip() for line in pubignore.read_text(encoding="utf-8").splitlines()
                   if line.strip() and not line.startswith("#")]
        for needed in ("lib/src/generated", "android/src/main/jniLibs", "ios/Frameworks", "macos/Frameworks", "linux/lib"):
            hit = [pattern for pattern in ignored if needed.startswith(pattern.strip("/").rstrip("*").rstrip("/"))]
            r.check(not hit, f".pubignore leaves {needed} out of the upload ({hit})")

    generated = args.generated.read_text(encoding="utf-8")
    stubs = [m.group(0) for m in re.finditer(r"not implemented yet|UnimplementedError\('TODO", generated)]
    r.check(not stubs, f"{args.generated.name}: {len(stubs)} function(s) left unbound by the generator")
    lib_name = re.search(r"static const String libraryName = '([^']+)';", generated)
    r.check(lib_name is not None, f"{args.generated.name}: no libraryName")
    r.check("library cognito_auth;" in generated, f"{args.generated.name}: not `library cognito_auth;`")

    entry = (pkg / "lib" / "cognito_auth.dart").read_text(encoding="utf-8")
    r.check("export 'src/generated/cognito_auth_ffi.dart';" in entry, "lib/cognito_auth.dart does not export src/generated/cognito_auth_ffi.dart")
    prepare = (pkg / "prepare.sh").read_text(encoding="utf-8")
    r.check('"$PKG/lib/src/generated/cognito_auth_ffi.dart"' in prepare, "prepare.sh does not write lib/src/generated/cognito_auth_ffi.dart")
    if lib_name is not None:
        name = lib_name.group(1)
        for file_name in (f"lib{name}.so", f"lib{name}.dylib", f"{name}.dll"):
            r.check(f"'{file_name}'" in entry, f"lib/cognito_auth.dart does not open '{file_name}'")
        r.check(f"lib/lib{name}.so" in (pkg / "linux" / "CMakeLists.txt").read_text(encoding="utf-8"),
                f"linux/CMakeLists.txt does not bundle lib/lib{name}.so")
        for platform in ("ios", "macos"):
            podspec = (pkg / platform / "cognito_auth.podspec").read_text(encoding="utf-8")
            r.check("'Frameworks/CognitoAuthFFI.xcframework'" in podspec, f"{platform}/cognito_auth.podspec does not vendor Frameworks/CognitoAuthFFI.xcframework")
            r.check(f"/cognito_auth/lib{name}.a" in podspec, f"{platform}/cognito_auth.podspec does not force-load lib{name}.a")
    r.check('"$PKG/$platform/Frameworks"' in prepare and '"$PKG/linux/lib"' in prepare and '"$PKG/android/src/main/jniLibs"' in prepare,
            "prepare.sh does not fill the platform directories the plugin files name")
    gradle = (pkg / "android" / "build.gradle").read_text(encoding="utf-8")
    r.check('jniLibs.srcDirs = ["src/main/jniLibs"]' in gradle, "android/build.gradle does not package src/main/jniLibs")

    print(f"dart_package_check: {r.passed} passed, {r.failed} failed")
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
