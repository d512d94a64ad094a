-- Linear regression: recover y = 3x + 2 from noisy samples with mini-batch SGD and a touch of L2.
-- Run: regimen run recipes/linear_regression.lua --set lr=0.02
local samples = data.synthetic.linear{n = param("n", 2000), w = 3, b = 2, noise = 0.3, seed = 7}
local train, validation = samples:split{validation = 0.2}
local model = nn.sequential{ nn.linear(1, 1, {init = "xavier"}) }

return recipe{
  name = "linear_regression",
  seed = 1,
  data = {train = train, validation = validation},
  model = model,
  loss = loss.mse(),
  optimizer = optim.sgd{lr = param("lr", 0.05), momentum = 0.9},
  regularize = reg.l2(1e-5),  -- penalty c·Σw², weights only
  batch_size = 32,
  epochs = param("epochs", 20),
  on_train_end = function(ctx)
    local fitted = model:parameters()
    print(("fitted w = %.4f, b = %.4f (truth: w = 3, b = 2)"):format(fitted["fc1.weight"][1][1], fitted["fc1.bias"][1][1]))
  end,
}
