#!/bin/sh
# Builds the desktop app and the `studio` command line as a native app with jpackage (JDK 25):
#   packaging/jpackage.sh              -> target/installer/TalkingHeadStudio/ (app image)
#   TYPE=deb packaging/jpackage.sh     -> the app image and target/installer/talking-head-studio_0.1.0_amd64.deb
#   TYPE=rpm|dmg|pkg|msi|exe           -> the other installers, each built on its own OS (README "Installers")
# The app image has two launchers, bin/TalkingHeadStudio (the desktop app) and bin/studio (the CLI),
# with the JVM options of packaging/java-options. Natives are those of the OS this runs on.
# STUDIO_SKIP_BUILD=1 packages target/classes and target/classpath.txt as they are (no Maven run: the
# tests, or a build already done); STUDIO_PACKAGE_DIR=DIR puts app-lib/ and installer/ in DIR, not target/;
# JPACKAGE_OPTS adds options to both jpackage runs (signing: --mac-sign --mac-signing-key-user-name ...).
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
type=${TYPE:-app-image}
out=${STUDIO_PACKAGE_DIR:-$root/target}
version=0.1.0

# The natives (libtorch, FFmpeg, OpenCV, OpenBLAS) of this OS; jpackage cannot cross-build anyway.
sep=:
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) jcpp=linux-x86_64 djl=linux-x86_64 ;;
  Linux-aarch64) jcpp=linux-arm64 djl=linux-aarch64 ;;
  Darwin-arm64) jcpp=macosx-arm64 djl=osx-aarch64 ;;
  MINGW*-x86_64|MSYS*-x86_64|CYGWIN*-x86_64) jcpp=windows-x86_64 djl=win-x86_64 sep=';' ;;
  *) echo "jpackage.sh: no libtorch build on Maven Central for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
if [ "${STUDIO_SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q -DskipTests -Djavacpp.platform=$jcpp -Ddjl.platform=$djl compile
fi
[ -f target/classpath.txt ] && [ -d target/classes/studio ] || { echo "jpackage.sh: build first (target/classes)" >&2; exit 1; }

rm -rf "$out/installer" "$out/app-lib"
lib=$out/app-lib
mkdir -p "$lib/checkpoints" "$lib/samples" "$out/installer"
# The app's jar is target/classes as the build left them (jpackage names the main class itself; ls
# leaves out packaging/studio's stamp, .built).
# shellcheck disable=SC2046
"$JAVA_HOME/bin/jar" --create --file "$lib/talking-head-studio-$version.jar" --no-manifest \
  -C target/classes $(cd target/classes && ls)
tr "$sep" '\n' < target/classpath.txt | while read -r j; do [ -n "$j" ] && cp "$j" "$lib/"; done
# The bundled models, catalog and samples, found at run time through -Dstudio.home=$APPDIR.
cp -r checkpoints/face-api checkpoints/catalog.json checkpoints/README.md "$lib/checkpoints/"
cp samples/* "$lib/samples/"

# Both launchers get packaging/java-options; jpackage writes $APPDIR as the app's lib/app folder.
opts=$(grep -v '^[[:space:]]*#' packaging/java-options | tr '\n' ' ' | tr -s ' ')
opts="$opts -Dstudio.home=\$APPDIR"
props=$out/installer-studio.properties
{
  echo "main-class=studio.cli.StudioCli"
  echo "description=Talking Head Studio command line"
  echo "java-options=$opts"
  echo "win-console=true"
  echo "linux-shortcut=false"
  echo "win-menu=false"
  echo "win-shortcut=false"
} > "$props"
# The app image, then the installer from the same files: an installer made from the app image
# (--app-image) would give the command line a desktop menu entry too (jpackage 25 drops the launcher's
# linux-shortcut=false there), so it is packaged afresh, jlink included (~10 s).
package() {
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/jpackage" --type "$1" --name TalkingHeadStudio --app-version $version \
    --input "$lib" --main-jar "talking-head-studio-$version.jar" --main-class studio.app.Main \
    --java-options "$opts" --add-launcher studio="$props" \
    --description "Portrait + voice clip -> talking-head MP4" ${2:-} ${JPACKAGE_OPTS:-} --dest "$out/installer"
}
package app-image
case "$type" in
  app-image) ;;
  deb|rpm) package "$type" "--vendor TalkingHeadStudio --linux-package-name talking-head-studio --linux-shortcut --linux-app-category AudioVideo" ;;
  msi|exe) package "$type" "--vendor TalkingHeadStudio --win-menu --win-shortcut-prompt --win-dir-chooser" ;;
  *) package "$type" "--vendor TalkingHeadStudio" ;;
esac
rm -rf "$lib" "$props"   # the app image and the installer hold copies
echo "jpackage.sh: $type in $out/installer"
