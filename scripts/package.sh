#!/usr/bin/env bash
# Builds the Debian package: installs the build dependencies, builds the
# runtime, its init and helpers for /usr in ./build-deb (no tests), and
# writes build-deb/minirunc_<version>-<revision>_<arch>.deb with CPack.
# Prints the package's path on the last line.
#
#   scripts/package.sh && sudo apt-get install ./build-deb/minirunc_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh dpkg-dev file >&2  # dpkg-shlibdeps: Depends from the binaries
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-deb -DCMAKE_BUILD_TYPE=MinSizeRel -DCMAKE_INSTALL_PREFIX=/usr \
    -DMINIRUNC_TESTS=OFF "${launcher[@]}" >&2
cmake --build build-deb -j"${MINIRUNC_JOBS:-$(nproc)}" >&2
rm -f build-deb/minirunc_*.deb
(cd build-deb && cpack -G DEB >&2)
ls build-deb/minirunc_*.deb
