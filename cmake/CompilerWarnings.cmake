# Warnings as an INTERFACE target that every project target links privately.
add_library(abmtier_warnings INTERFACE)
target_compile_options(abmtier_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
if(ABMTIER_WERROR)
  target_compile_options(abmtier_warnings INTERFACE -Werror)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports std::string concatenation at -O2 as overlapping memcpy
  # (GCC bug 105329); the warning is wrong, and -Werror would fail Release.
  target_compile_options(abmtier_warnings INTERFACE -Wno-restrict -Wno-stringop-overflow)
endif()
