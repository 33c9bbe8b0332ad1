#include <catch2/catch.hpp>
TEST_CASE("cli: placeholder until the CLI lands", "[cli]") { CHECK(true); }
