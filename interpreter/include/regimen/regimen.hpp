#pragma once
// Everything a host application needs from Regimen, in one include: `#include <regimen/regimen.hpp>`
// (docs/embedding.md). Installed headers include only standard headers and each other.
#if __cplusplus < 202002L
#error "Regimen's headers need C++20 (-std=c++20)"
#endif

#include "regimen/interpreter.hpp"
