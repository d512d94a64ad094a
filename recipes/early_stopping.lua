-- Early stopping with composed stop rules: training is planned for 100 epochs, and the first
-- rule (in list order) that fires ends it. Keras' patience rule on val_loss (keeping the best
-- epoch's weights), a target accuracy that counts as "good enough", a guard against divergence
-- and a wall-clock budget. The run prints which rule stopped it; measured: "stopped:
-- val_accuracy reached 0.89 target at epoch 12 (rule 2)", test accuracy 0.889, 34 s on 1 thread.
-- Run: regimen run recipes/early_stopping.lua    (quick check: --set limit=1000 --set epochs=3)
local fashion = data.fashion_mnist{}
local train, validation = fashion.train:split{validation = 0.1, seed = 1}

local limit = param("limit", 0)  -- > 0: train on that many samples only (for smoke tests)
if limit > 0 then
  train, validation = train:take(limit), validation:take(math.max(1, limit // 5))
end

return recipe{
  name = "early_stopping",
  seed = 42,
  data = {train = train, validation = validation, test = fashion.test},
  model = nn.sequential{nn.linear(784, 256), nn.relu(), nn.dropout(0.2), nn.linear(256, 10)},
  loss = loss.cross_entropy(),
  optimizer = optim.adam{lr = param("lr", 1e-3)},
  batch_size = 128,
  epochs = param("epochs", 100),
  early_stop = {
    -- no val_loss improvement of at least 0.001 for 3 epochs (on the mean of the last 2 epochs,
    -- which smooths out one noisy epoch); the best epoch's weights are restored at the end
    {monitor = "val_loss", patience = 3, min_delta = 1e-3, smoothing = 2, restore_best = true},
    {monitor = "val_accuracy", target = param("target", 0.89)},  -- good enough: stop there
    {monitor = "loss", divergence = 10},  -- training loss 10x above its best, or NaN: give up
    {max_time = "10m"},                   -- wall-clock budget, checked after every step
  },
}
