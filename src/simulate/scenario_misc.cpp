#include "simulate/scenarios.h"
namespace tw::simulate {
void EmitLoggingTamper(Plan&) {}
void PrepareInsiderReturn(Plan&) {}
void EmitInsiderReturn(Plan&) {}
void EmitSocialEngineeringChange(Plan&) {}
void EmitBenignAdmin(Plan&) {}
}  // namespace tw::simulate
