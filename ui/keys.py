"""The names of the session keys the pages' widgets use: the settings' and each page's own.

Names only: ``ui.state`` owns the session and re-exports these (pages write
``key=state.HIDDEN``); ``ui.settings`` holds everything else about a setting
(default, bounds, config field, link). The session's private slots (the data
set, the runs, ...) are named in ``ui.state`` itself.
"""

# ----------------------------------------------------------------- settings
# The settings' keys, for the pages' widgets: each is the name of a row of ``ui.settings.SETTINGS``,
# which holds everything else about it (default, bounds, config field, link).
# Data source (Explore page)
SOURCE = "source"
BUNDLED = "bundled"
GENERATOR = "generator"
N_POINTS = "n"
NOISE = "noise"
DATA_SEED = "data_seed"
CLASSES = "classes"
DERIVED = "derived"
TARGET = "target"
FEATURES = "features"
PROBLEM = "problem"
MISSING = "missing"
ONE_HOT = "one_hot"

# Training (Train page)
HIDDEN = "hidden"
ACTIVATION = "activation"
OPTIMIZER = "optimizer"
LEARNING_RATE = "lr"
EPOCHS = "epochs"
BATCH_SIZE = "batch"
L2 = "l2"
L1 = "l1"
CLIP_NORM = "clip"
SCHEDULE = "schedule"
VAL_FRACTION = "val"
TEST_FRACTION = "test"
PATIENCE = "patience"
TRAIN_SEED = "seed"
INIT = "init"

# Explore page: page-local widgets (not settings: they do not change the data or travel in links)
EXPLORE_X = "explore_x"
EXPLORE_Y = "explore_y"
EXPLORE_HIST = "explore_hist"
UPLOAD_FILE = "upload_file"

# Train page: page-local widgets (views of a run, not training settings; defaults via fit_choice)
TRAIN_PRESET = "train_preset"
BOUNDARY_X = "boundary_x"  # feature index on the boundary chart's x axis
BOUNDARY_Y = "boundary_y"
SHOW_TEST = "show_test"
DISCRETIZE = "discretize"
LOSS_LOG = "loss_log"
THRESHOLD = "threshold"  # binary decision threshold for the held-out confusion matrix
TRAIN_BUTTON = "train"  # new run
CONTINUE_BUTTON = "continue"  # the active run, for the epochs setting more
STEP_BUTTON = "step"  # the active run, one epoch
RESET_BUTTON = "reset"  # the active run, back to its initial weights
STOP_BUTTON = "stop"  # any click interrupts a training loop
APPLY_PRESET = "apply_preset"
SHOWN_RUN = "shown_run"  # the run picker (its value is a run id)
CONFUSION_PICK = "confusion_pick"  # the confusion matrix's clicked cell (chart selection)

# Seed-article page (not shared in links)
ARTICLE_GLUCOSE = "article_glucose"
ARTICLE_PRESSURE = "article_pressure"
ARTICLE_HIDDEN = "article_hidden"
ARTICLE_HIDDEN_TRAIN = "article_hidden_train"
# Lessons page
LESSON = "lesson"
LESSON_RUN = "lesson_run"
LESSON_SETUP = "lesson_setup"
PAGE_SETTINGS: dict[str, object] = {ARTICLE_GLUCOSE: 140.0, ARTICLE_PRESSURE: 90.0, ARTICLE_HIDDEN: "8",
                                    LESSON: "line"}

# Predict page: page-local widgets (the what-if values themselves live in _WHATIF, per run)
WHATIF_ROW = "whatif_row"  # the "start from row N" picker
WHATIF_USE_ROW = "whatif_use_row"
WHATIF_RESET = "whatif_reset"  # back to the training medians
WHATIF_X = "whatif_x"  # feature index on the what-if boundary chart's x axis
WHATIF_Y = "whatif_y"
WHATIF_PICK = "whatif_pick"  # the boundary chart's click selection
WHATIF_MEASURE = "whatif_measure"  # sensitivity per unit or per standard deviation
WHATIF_CLASS = "whatif_class"  # multi-class: the class whose probability is explained (-1: predicted)
WHATIF_LOCKED = "whatif_locked"  # input names the counterfactual options may not change
WHATIF_PD_INPUT = "whatif_pd_input"  # the input whose partial dependence is drawn (an input index)
BATCH_FILE = "batch_file"
BATCH_DOWNLOAD = "batch_download"

# Share & compare page: page-local widgets
SHARE_TARGET = "share_target"  # the page a shared link opens
MODEL_FILE = "share_model_file"  # model file upload
DOWNLOAD_MODEL = "share_download_model"
DOWNLOAD_CODE = "share_download_code"
DOWNLOAD_DATA = "share_download_data"
COMPARE_PICK = "compare_pick"  # the run the buttons below act on
COMPARE_ACTIVATE = "compare_activate"
COMPARE_PIN = "compare_pin"
COMPARE_RUNS = "compare_runs"  # run ids whose loss curves are overlaid
COMPARE_LOG = "compare_log"

# Look-inside pages (Inside the network; One example, step by step): page-local widgets
INSIDE_X = "inside_x"  # feature index on the neuron maps' x axis
INSIDE_Y = "inside_y"
INSIDE_NEURON = "inside_neuron"  # (layer, unit) shown large
INSIDE_STEP = "inside_step"  # button: the active run, one epoch
INSIDE_PLAY = "inside_play"  # button: the active run, ten epochs redrawn one by one
EDIT_LAYER = "edit_layer"  # weight layer of the hand-edited parameter
EDIT_FROM = "edit_from"  # unit it comes from (-1: the bias)
EDIT_TO = "edit_to"
EDIT_VALUE = "edit_value"  # the value typed (synced to the chosen parameter by sync_edit_value)
EDIT_RESTORE = "edit_restore"
GRADCHECK_BUTTON = "gradcheck"
STEP_SOURCE = "step_source"  # "row" or "whatif"
STEP_ROW = "step_row"
STEP_CLASS = "step_class"  # the label assumed for the what-if point (classifiers)
STEP_TARGET = "step_target"  # ... (regression)


def whatif_key(run_id: int, feature: int) -> str:
    """The widget key of a what-if slider (one per run and raw feature)."""
    return f"whatif_{run_id}_{feature}"


def whatif_option_key(number: int) -> str:
    """The key of the button moving the what-if point to counterfactual option ``number`` (1, 2, 3)."""
    return f"whatif_to_option_{number}"


def whatif_number_key(run_id: int, feature: int) -> str:
    """The widget key of a what-if number entry (beside the slider of ``whatif_key``)."""
    return f"whatif_{run_id}_{feature}_number"

# Playground page: page-local widgets (the play state itself lives in state's _PLAYER)
PLAY_TOGGLE = "play_toggle"  # button: Play / Pause
PLAY_STEP = "play_step"  # button: one epoch
PLAY_RESET = "play_reset"  # button: the playing run back to epoch 0
PLAY_SPEED = "play_speed"  # epochs per frame
PLAY_DATA = "play_data"  # the 2-D pattern picker ("" keeps the active data)
PLAY_X = "play_x"  # raw feature index on the plane's x axis
PLAY_Y = "play_y"
PLAY_SHOW_TEST = "play_show_test"
PLAY_DISCRETIZE = "play_discretize"
PLAY_LOG = "play_log"
PLAY_VIEW = "play_view"  # the network view component
PLAY_CLICK = "play_click"  # what a click on the plane does: look, add a point of a class, remove a point
PLAY_EDITING = "play_editing"  # the weight editor is open (its target: EDIT_LAYER, EDIT_FROM, EDIT_TO)
PLAY_EDIT_CLOSE = "play_edit_close"
PLAY_POINTS_BACK = "play_points_back"
PLAY_SCRUB = "play_scrub"  # the epoch the picture shows when rewound (None: now)
PLAY_BRANCH = "play_branch"  # button: a new run continuing from the shown epoch
PLAY_REPLAY = "play_replay"  # toggle: animate the run from epoch 0
PLAY_NOW = "play_now"  # button: back to the run as it is now
PLAY_NEURON = "play_neuron"  # (layer, unit) of the hidden neuron whose switch is offered, or None
PLAY_SWITCH = "play_switch"  # button: switch that neuron off or on
PLAY_REPLAY_SPEED = "play_replay_speed"
