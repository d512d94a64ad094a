-- Fit the host's ball-toss model, height = h0 + v0*t - (g/2)*t^2, to its measurements. The model
-- is the host's own (main.cpp): three tensors in its memory and its loss with the gradient; this
-- recipe only says how to train it. No loss key: a host model brings its own.
local measurements = host.dataset("measurements")
local train, validation = measurements:split{validation = 0.2}
local epochs = param("epochs", 150)
local steps_per_epoch = math.ceil(train:size() / 32)

-- An improvement of less than 0.1% of the sensor's noise floor (variance sigma^2) is no
-- improvement: the validation loss cannot go below sigma^2.
local noise = host.sensor_noise()

return recipe{
  name = "ball_toss_fit",
  seed = 1,
  data = {train = train, validation = validation},
  model = host.model("ball"),
  optimizer = optim.adam{lr = schedule.warmup{steps = steps_per_epoch, into =
                  schedule.cosine{lr = param("lr", 0.05), T_max = epochs * steps_per_epoch, eta_min = 1e-4}}},
  batch_size = 32,
  epochs = epochs,
  early_stop = early_stop{monitor = "val_loss", patience = 10, min_delta = 1e-3 * noise * noise,
                          restore_best = true},
}
