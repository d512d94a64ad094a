-- Fashion-MNIST with the classic "warm up, then cosine" schedule: SGD with Nesterov momentum, the
-- learning rate rising linearly from 0 over the first epoch (large early steps on random weights
-- diverge), then decaying along a cosine to 0 at the end of the run. The momentum rises from
-- 0.85 to 0.95 over the run (as in one-cycle training: less momentum while the rate is high).
-- Preview: regimen plot recipes/fashion_mnist_warmup_cosine.lua
-- Run:     regimen run recipes/fashion_mnist_warmup_cosine.lua   (quick check: --set limit=1000 --set epochs=2)
local fashion = data.fashion_mnist{}
local train, validation = fashion.train:split{validation = 0.1, seed = 1}

local limit = param("limit", 0)  -- > 0: train on that many samples only (for smoke tests)
if limit > 0 then
  train, validation = train:take(limit), validation:take(math.max(1, limit // 5))
end

local epochs = param("epochs", 10)
local warmup = "1 epoch"
-- The cosine starts where the warm-up ends, so it spans the epochs after the first.
local decay = ("%d epochs"):format(math.max(1, epochs - 1))

return recipe{
  name = "fashion_mnist_warmup_cosine",
  seed = 7,
  data = {train = train, validation = validation, test = fashion.test},
  model = nn.sequential{nn.linear(784, 256), nn.relu(), nn.dropout(0.1), nn.linear(256, 10)},
  loss = loss.cross_entropy(),
  optimizer = optim.sgd{
    lr = schedule.warmup{steps = warmup, into = schedule.cosine{lr = param("lr", 0.05), T_max = decay}},
    momentum = schedule.linear{from = 0.85, to = 0.95, steps = "100%"},
    nesterov = true,
    weight_decay = 5e-4,
  },
  batch_size = 128,
  epochs = epochs,
}
