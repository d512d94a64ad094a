# `cmake --install`: one static archive (libregimen.a), the public headers, the `regimen` CLI,
# a CMake package (find_package(regimen) -> regimen::regimen) and a pkg-config file.
# docs/embedding.md, "Installing and linking", shows a host using them.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# One archive made of every area's objects: a host links one library instead of ten whose
# order matters. The area libraries stay separate inside the build (each tests on its own).
set(regimen_archive_parts core nn loss schedule optim regularize data io train interpreter)
set(regimen_archive_objects "")
foreach(part ${regimen_archive_parts})
  list(APPEND regimen_archive_objects $<TARGET_OBJECTS:regimen_${part}>)
endforeach()
add_library(regimen_library STATIC ${regimen_archive_objects})
set_target_properties(regimen_library PROPERTIES OUTPUT_NAME regimen EXPORT_NAME regimen
                                                 LINKER_LANGUAGE CXX)
# The public header is plain C++20 over std types: no Eigen, Lua or source-tree path leaks to a
# host. What the objects call (Lua's C++ build, zlib, OpenMP's runtime) is link-only: a private
# dependency of a static library is exported as $<LINK_ONLY:...>.
target_include_directories(regimen_library INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/interpreter/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(regimen_library INTERFACE cxx_std_20)
# The installed config recreates the pkg-config target as PkgConfig::regimen_lua, a name no
# host is likely to use for its own Lua.
target_link_libraries(regimen_library PRIVATE
  $<BUILD_INTERFACE:PkgConfig::LUA> $<INSTALL_INTERFACE:PkgConfig::regimen_lua>
  ZLIB::ZLIB OpenMP::OpenMP_CXX)
add_library(regimen::regimen ALIAS regimen_library)

install(TARGETS regimen_library EXPORT regimenTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS regimen RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# regimen.so where Debian's lua5.4 looks for C modules under a prefix (lib/lua/5.4/?.so).
if(TARGET regimen_lua_module)
  install(TARGETS regimen_lua_module LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/lua/5.4)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/interpreter/include/regimen
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
# stdlib/*.lua is compiled into the archive (cmake/embed_stdlib.cmake): nothing to install.
# stdlib/types/*.lua are LuaLS annotations for editors (docs/embedding.md, "Editor support").
install(DIRECTORY ${PROJECT_SOURCE_DIR}/stdlib/types/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/regimen/types FILES_MATCHING PATTERN "*.lua")

set(regimen_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/regimen)
install(EXPORT regimenTargets NAMESPACE regimen:: DESTINATION ${regimen_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/regimenConfig.cmake.in
  ${PROJECT_BINARY_DIR}/regimenConfig.cmake INSTALL_DESTINATION ${regimen_cmake_dir})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/regimenConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/regimenConfig.cmake ${PROJECT_BINARY_DIR}/regimenConfigVersion.cmake
        DESTINATION ${regimen_cmake_dir})

# pkg-config: the archive is static, so its dependencies are private ones (`pkg-config --static`).
# ${prefix} stays relative to the .pc file's own location, so an installed tree can be moved.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(regimen_pc_prefix "${CMAKE_INSTALL_PREFIX}")
  set(regimen_pc_libdir "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(regimen_pc_includedir "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH up /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)  # "../.." for lib/pkgconfig
  string(REGEX REPLACE "/$" "" up "${up}")
  set(regimen_pc_prefix "\${pcfiledir}/${up}")
  set(regimen_pc_libdir "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(regimen_pc_includedir "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/regimen.pc.in ${PROJECT_BINARY_DIR}/regimen.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/regimen.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
