# The Debian package, made by `cpack -G DEB` (scripts/package.sh) from the
# install rules: minirunc_<version>-<revision>_<arch>.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME minirunc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT
    "minirunc maintainers <maintainers@users.noreply.h-seed-01e2fe4d.example>")
set(CPACK_DEBIAN_PACKAGE_RELEASE ${MINIRUNC_DEBIAN_REVISION})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "OCI container runtime compatible with runc")
# The extended description (the summary above is its first line).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "minirunc runs containers from OCI bundles (runtime-spec 1.3) with runc's
commands and flags, so containerd, docker and podman can use it in place of
runc, by name: podman --runtime minirunc, dockerd --add-runtime
minirunc=minirunc, or BinaryName minirunc in containerd's runc options.")
# Depends from the binaries' shared libraries: the runtime and its init are
# static; the systemd and netdev helpers link libsystemd and libmnl.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Install with DESTDIR, so the one absolute destination (/etc) lands in the
# package too, and with the prefix the binaries were built for.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_SOURCE_DIR}/postrm)
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    list(APPEND CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_BINARY_DIR}/conffiles)
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
