-- bench/compare's Regimen side: the MLP that bench/torch_mlp.py trains in PyTorch, on the same
-- terms. 784-256-128-10, ReLU, dropout 0.2, Adam at a constant 1e-3, batch 128, all 60k
-- training images shuffled each epoch, no validation split; the 10k test images at the end.
-- Run: regimen run bench/compare_mlp.lua --json --no-out --threads 1   (bench/compare does)
local fashion = data.fashion_mnist{}

return recipe{
  name = "compare_mlp",
  seed = 42,
  data = {train = fashion.train, test = fashion.test},
  model = nn.sequential{
    nn.linear(784, 256), nn.relu(), nn.dropout(0.2),
    nn.linear(256, 128), nn.relu(), nn.dropout(0.2),
    nn.linear(128, 10),
  },
  loss = loss.cross_entropy(),
  optimizer = optim.adam{lr = 1e-3},
  batch_size = 128,
  epochs = param("epochs", 5),
}
