"""Associated-data purposes for encryption and blind indexes: a ciphertext of one kind never
decrypts as another. Plain constants (no Django), shared by worker processes."""

ID_NUMBER = "id_number"
PHONE = "phone"
REGISTER_FILE = "register_file"
ATTACHMENT_FILE = "attachment_file"
