#!/bin/sh
# Builds a native installer of the desktop app with jpackage (JDK 25):
#   packaging/jpackage.sh            -> target/installer/ (app-image; TYPE=deb|rpm|dmg|msi for installers)
# Natives follow -Djavacpp.platform / -Ddjl.platform (default linux-x86_64): build on the target OS.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME
./mvnw -B -q -DskipTests package
rm -rf target/installer target/app-lib
mkdir -p target/app-lib
cp target/talking-head-studio-*.jar target/app-lib/
# the bundled models and catalog, found at run time through -Dstudio.home=$APPDIR
mkdir -p target/app-lib/checkpoints
cp -r checkpoints/face-api checkpoints/catalog.json checkpoints/README.md target/app-lib/checkpoints/
tr ':' '\n' < target/classpath.txt | while read -r j; do [ -n "$j" ] && cp "$j" target/app-lib/; done
"$JAVA_HOME/bin/jpackage" --type "${TYPE:-app-image}" --name TalkingHeadStudio --app-version 0.1.0 \
  --input target/app-lib --main-jar "$(basename target/talking-head-studio-*.jar)" --main-class studio.app.Main \
  --java-options "--enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Dstudio.home=\$APPDIR" \
  --description "Portrait + voice clip -> talking-head MP4" --dest target/installer
echo "installer in target/installer"
