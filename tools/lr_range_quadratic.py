#!/usr/bin/python3
"""Simulates the learning-rate range test (runtime/train/lr_range_test.hpp) on the quadratic
f(w) = (L/2)|w|^2 under plain gradient descent, whose best constant step is 1/L, and prints
where each candidate suggestion lands, in units of 1/L, for L = 0.5, 4 and 50:

  absolute slope of the smoothed loss (fastai's steepest), slope of log(smoothed loss) (ours),
  slope of a smoothed log-loss, and the first and third with beta 0.9.

The test tests/interpreter/lr_find_test.cpp requires ours within a factor 3 of 1/L (issue 8);
this script is why the suggestion uses the relative slope: about 0.53/L, against 0.3/L.
"""
import math
def run(L, beta=0.98, steps=100, frm=1e-7, to=10, logsmooth=False, logslope=False):
    w=[1.0,-2.0,0.5]; lrs=[];loss=[]
    for t in range(steps):
        lr=frm*(to/frm)**(t/(steps-1))
        f=sum(0.5*L*x*x for x in w)
        loss.append(f); lrs.append(lr)
        w=[x-lr*L*x for x in w]
        if not math.isfinite(f) or f>1e30: break
    avg=0;best=1e300;sm=[];ls=[]
    for t,l in enumerate(loss):
        v=math.log(max(l,1e-300)) if logsmooth else l
        avg=beta*avg+(1-beta)*v
        s=avg/(1-beta**(t+1))
        if logsmooth:
            if best<1e300 and s>best+math.log(4): break
        else:
            if not math.isfinite(s) or s>4*best: break
        best=min(best,s); sm.append(s); ls.append(lrs[t])
    n=len(sm); a=n//10 if n>=10 else 0; b=n-n//20 if n>=10 else n
    best_i=None;bs=1e300
    for i in range(a+1,b):
        y1,y0=sm[i],sm[i-1]
        if logslope: y1,y0=math.log(max(y1,1e-300)),math.log(max(y0,1e-300))
        sl=(y1-y0)/math.log(ls[i]/ls[i-1])
        if sl<bs: bs=sl;best_i=i
    return ls[best_i]*L if best_i else None
for L in (0.5,4,50):
    print(L, run(L), run(L,logslope=True), run(L,logsmooth=True), run(L,beta=0.9), run(L,beta=0.9,logsmooth=True))
