# Warnings as an INTERFACE target that every project target links privately.
add_library(abmtier_warnings INTERFACE)
target_compile_options(abmtier_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
if(ABMTIER_WERROR)
  target_compile_options(abmtier_warnings INTERFACE -Werror)
endif()
