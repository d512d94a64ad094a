-- A learning-rate sweep of the flagship recipe, declared in Lua: six trials, two at a time,
-- ranked by validation accuracy; a trial that trails the finished ones' median is pruned.
-- Run: regimen sweep recipes/sweeps/fashion_mnist_mlp_lr.lua
-- (command-line options win: add --jobs 1, or --set limit=5000 for a quick look)
return sweep{
  recipe = "../fashion_mnist_mlp.lua",
  grid = {lr = {3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1}},
  set = {epochs = 5},
  metric = "val_accuracy", mode = "max",
  prune = "median", warmup = 2,
  jobs = 2, threads = 1,
}
