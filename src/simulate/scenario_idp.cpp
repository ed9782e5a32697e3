#include "simulate/scenarios.h"
namespace tw::simulate {
void EmitIdpTakeover(Plan&) {}
}  // namespace tw::simulate
