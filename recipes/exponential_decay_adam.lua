-- Keras' classic "ExponentialDecay(staircase=True) + Adam" on Fashion-MNIST, with the model of
-- the Keras beginner tutorial (Flatten, Dense(128, relu), Dense(10)). The learning rate is
-- multiplied by 0.8 once per epoch: with staircase the exponent t / decay_steps is floored, so
-- the rate holds for a whole epoch and then drops (a smooth decay without it). convention =
-- "keras" gives Adam Keras' numerics (eps 1e-7, applied before bias correction). Measured: test
-- accuracy 0.887 after 15 epochs (lr down to 3.5e-5), 26 s on 1 thread.
-- Preview: regimen plot recipes/exponential_decay_adam.lua
-- Run:     regimen run recipes/exponential_decay_adam.lua    (quick check: --set limit=1000 --set epochs=2)
local fashion = data.fashion_mnist{}
local train, validation = fashion.train:split{validation = 0.1, seed = 1}

local limit = param("limit", 0)  -- > 0: train on that many samples only (for smoke tests)
if limit > 0 then
  train, validation = train:take(limit), validation:take(math.max(1, limit // 5))
end

return recipe{
  name = "exponential_decay_adam",
  seed = 42,
  data = {train = train, validation = validation, test = fashion.test},
  model = nn.sequential{nn.linear(784, 128), nn.relu(), nn.linear(128, 10)},
  loss = loss.cross_entropy(),
  optimizer = optim.adam{
    lr = schedule.exponential_decay{lr = param("lr", 1e-3), decay_rate = 0.8, decay_steps = "1 epoch", staircase = true},
    convention = "keras",
  },
  batch_size = 32,  -- Keras' default
  epochs = param("epochs", 15),
}
