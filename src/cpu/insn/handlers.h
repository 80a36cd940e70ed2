// Every instruction handler, for dispatch_table.cpp (the only includer).
#pragma once
#include "cpu/insn/alu.h"
#include "cpu/insn/bcd.h"
#include "cpu/insn/bits.h"
#include "cpu/insn/control.h"
#include "cpu/insn/datamov.h"
#include "cpu/insn/shift.h"
#include "cpu/insn/stack.h"
#include "cpu/insn/string.h"
#include "cpu/insn/system.h"
