-- Fashion-MNIST with a 784-256-128-10 MLP: ReLU, dropout, Adam on a cosine decay, and early
-- stopping on validation accuracy that keeps the best epoch's weights.
-- Run: regimen run recipes/fashion_mnist_mlp.lua        (quick check: --set limit=2000 --set epochs=1)
local fashion = data.fashion_mnist{}
local train, validation = fashion.train:split{validation = 0.1, seed = 1}

local limit = param("limit", 0)  -- > 0: train on that many samples only (for smoke tests)
if limit > 0 then
  train, validation = train:take(limit), validation:take(math.max(1, limit // 5))
end

local epochs = param("epochs", 30)
local batch_size = 128
local steps = epochs * math.ceil(#train / batch_size)

return recipe{
  name = "fashion_mnist_mlp",
  seed = 42,
  data = {train = train, validation = validation, test = fashion.test},
  model = nn.sequential{
    nn.linear(784, 256), nn.relu(), nn.dropout(0.2),
    nn.linear(256, 128), nn.relu(), nn.dropout(0.2),
    nn.linear(128, 10),
  },
  loss = loss.cross_entropy(),
  optimizer = optim.adam{lr = schedule.cosine{lr = param("lr", 1e-3), T_max = steps}},
  batch_size = batch_size,
  epochs = epochs,
  early_stop = early_stop{monitor = "val_accuracy", patience = 5, restore_best = true},
}
