-- Fit the host's ball-toss measurements: height = h0 + v0*t - (g/2)*t^2 is linear in the
-- features (t, t^2), so one nn.linear(2, 1) layer recovers (v0, -g/2) as its weights and h0 as
-- its bias. The host (main.cpp) generated the data; it checks what host.report_fit receives.
local measurements = host.dataset("measurements")
local train, validation = measurements:split{validation = 0.2}
local model = nn.sequential{ nn.linear(2, 1) }
local epochs = param("epochs", 150)
local steps_per_epoch = math.ceil(train:size() / 32)

-- An improvement of less than 0.1% of the sensor's noise floor (variance sigma^2) is no
-- improvement: the validation loss cannot go below sigma^2.
local noise = host.sensor_noise()

return recipe{
  name = "ball_toss_fit",
  seed = 1,
  data = {train = train, validation = validation},
  model = model,
  loss = loss.mse(),
  optimizer = optim.adam{lr = schedule.warmup{steps = steps_per_epoch, into =
                  schedule.cosine{lr = param("lr", 0.05), T_max = epochs * steps_per_epoch, eta_min = 1e-4}}},
  batch_size = 32,
  epochs = epochs,
  early_stop = early_stop{monitor = "val_loss", patience = 10, min_delta = 1e-3 * noise * noise,
                          restore_best = true},
  on_train_end = function(ctx)
    local p = model:parameters()  -- a linear layer's weight is in x out: one row per feature
    host.report_fit(p["fc1.weight"][1][1], p["fc1.weight"][2][1], p["fc1.bias"][1][1])
  end,
}
