#pragma once
// Cosine annealing with warm restarts (Loshchilov & Hutter, "SGDR", ICLR 2017), Keras'
// CosineDecayRestarts with alpha = eta_min / lr, in PyTorch's option names. Cycle i (from 0)
// starts at step S_i = T_0 * (T_mult^i - 1) / (T_mult - 1) (S_i = i * T_0 when T_mult = 1)
// and lasts T_i = T_0 * T_mult^i steps; with T_cur = t - S_i for the cycle holding t,
//
//   s(t) = eta_min + (lr - eta_min) * m_mul^i * (1 + cos(pi * T_cur / T_i)) / 2
//
// so each restart's amplitude above the floor shrinks by m_mul, the floor does not.
// With m_mul = 1 this is PyTorch's CosineAnnealingWarmRestarts (T_mult = 1, 2, ...), whose
// step-by-step T_cur bookkeeping lands on the same cycles. Keras finds the cycle as
// floor(log(1 + t/T_0 * (T_mult - 1)) / log(T_mult)), which rounds down at some restarts
// (T_mult = 1.5 or 3, e.g. t/T_0 = 121 with T_mult = 3) and then returns the old cycle's
// floor for that one step; here the cycle is found exactly. Keras' default t_mul is 2.0,
// PyTorch's T_mult is 1; ours is PyTorch's.
#include "runtime/schedule/schedule.hpp"

namespace regimen::schedule {

/// lr >= 0, T_0 > 0, T_mult >= 1, eta_min >= 0, m_mul >= 0 (all finite).
/// describe(): "cosine_restarts(lr=0.1, T_0=10, T_mult=2, eta_min=0, m_mul=1)".
SchedulePtr cosine_restarts(double lr, double T_0, double T_mult = 1.0, double eta_min = 0.0,
                            double m_mul = 1.0);

}  // namespace regimen::schedule
