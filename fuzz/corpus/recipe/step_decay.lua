-- Step decay, the classic ResNet-era schedule: keep the learning rate while the loss falls, then
-- divide it by 10 at fixed epochs (here after 60% and 80% of the run). The rate is evaluated
-- per epoch (by = "epoch"), as PyTorch's MultiStepLR stepped once per epoch. The data are a
-- noisy linear model, so the recipe runs in a second.
-- Preview: regimen plot recipes/step_decay.lua
-- Run:     regimen run recipes/step_decay.lua
local samples = data.synthetic.linear{n = param("n", 2000), w = {2, -1, 0.5}, b = 1, noise = 0.1, seed = 3}
local train, validation = samples:split{validation = 0.2}

local epochs = param("epochs", 20)

return recipe{
  name = "step_decay",
  seed = 1,
  data = {train = train, validation = validation},
  model = nn.sequential{nn.linear(3, 16), nn.relu(), nn.linear(16, 1)},
  loss = loss.mse(),
  optimizer = optim.sgd{
    lr = schedule.multistep{lr = param("lr", 0.05), milestones = {"60%", "80%"}, gamma = 0.1, by = "epoch"},
    momentum = 0.9,
  },
  batch_size = 32,
  epochs = epochs,
}
